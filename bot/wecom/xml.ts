/**
 * WeCom callbacks are flat XML (<xml><Tag><![CDATA[value]]></Tag>…</xml>);
 * these two helpers read and write exactly that, nothing more.
 */
export function xmlFields(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    const [, tag = '', cdata, plain] = m;
    out[tag] = cdata ?? plain ?? '';
  }
  return out;
}

export function toXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${k}>`))
    .join('');
  return `<xml>${body}</xml>`;
}
