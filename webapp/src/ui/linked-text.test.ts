import { describe, expect, it } from 'vitest';
import { linkedText } from './linked-text';

function render(text: string): HTMLElement {
  const holder = document.createElement('p');
  holder.append(linkedText(text));
  return holder;
}

describe('linked text', () => {
  it('makes http(s) addresses links and keeps the rest as text', () => {
    const p = render('Read https://intranet.example/ai-policy. Questions: http://help.example/x?a=1, thanks');
    const links = [...p.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://intranet.example/ai-policy', 'http://help.example/x?a=1']);
    expect(links[0]?.rel).toBe('noopener noreferrer');
    expect(p.textContent).toBe('Read https://intranet.example/ai-policy. Questions: http://help.example/x?a=1, thanks');
  });

  it('never turns text into markup or a script link', () => {
    const p = render('<img src=x onerror=alert(1)> javascript:alert(1) data:text/html,hi');
    expect(p.querySelector('img, a')).toBeNull();
    expect(p.textContent).toBe('<img src=x onerror=alert(1)> javascript:alert(1) data:text/html,hi');
  });
});
