import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from './html-template.js';

describe('html template', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes interpolated text but not nested templates', () => {
    const name = '<script>alert(1)</script>';
    const out = html`<p title="${name}">${name} ${html`<b>${'&'}</b>`}</p>`.toString();
    expect(out).toBe('<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt; <b>&amp;</b></p>');
  });

  it('joins arrays, drops undefined, null and false, prints numbers and true', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}${true}`.toString()).toBe('<ul><li>a&lt;</li><li>b</li></ul>0true');
  });

  it('passes trusted markup through unchanged', () => {
    expect(html`${trusted('<br>')}`.toString()).toBe('<br>');
  });
});
