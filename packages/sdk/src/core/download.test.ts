import { describe, expect, it } from 'vitest';
import { Download, fileNameOf } from './download.ts';
import type { HttpResponse } from './http.ts';

const headers = new Headers({
  'content-type': 'application/pdf',
  'content-disposition': 'attachment; filename="statement-acc_1-2025-03-01-2025-03-31.pdf"',
  'x-request-id': 'req_1',
});

describe('Download', () => {
  it('when the transport streams the body, then stream() hands it over unread and a second read is refused', async () => {
    const body = new Response('%PDF-1.3 …').body;
    const file = new Download({ status: 200, headers, text: async () => '', body });
    expect(file).toMatchObject({
      contentType: 'application/pdf',
      fileName: 'statement-acc_1-2025-03-01-2025-03-31.pdf',
      requestId: 'req_1',
    });
    expect(new TextDecoder().decode(await new Response(file.stream()).arrayBuffer())).toBe('%PDF-1.3 …');
    expect(() => file.stream()).toThrow(/already read/);
  });

  it('when a custom transport has only arrayBuffer(), then bytes(), blob() and stream() still work', async () => {
    const make = (): HttpResponse => ({
      status: 200,
      headers,
      text: async () => '',
      arrayBuffer: async () => new TextEncoder().encode('date,amount\r\n').buffer as ArrayBuffer,
    });
    expect(await new Download(make()).text()).toBe('date,amount\r\n');
    const blob = await new Download(make()).blob();
    expect([blob.type, blob.size]).toEqual(['application/pdf', 13]);
    expect(await new Response(new Download(make()).stream()).text()).toBe('date,amount\r\n');
  });

  it('when the transport gives neither a stream nor bytes, then reading says so', async () => {
    const file = new Download({ status: 200, headers, text: async () => '' });
    await expect(file.bytes()).rejects.toThrow(/cannot download files/);
  });
});

describe('fileNameOf', () => {
  it('when Content-Disposition names a file plainly, quoted, or in RFC 6266 extended form, then the name comes back', () => {
    expect(fileNameOf('attachment; filename="a b.csv"')).toBe('a b.csv');
    expect(fileNameOf('inline; filename=a.json')).toBe('a.json');
    expect(fileNameOf('attachment; filename="x.pdf"; filename*=UTF-8\'\'Wanjir%C5%A9.pdf')).toBe(
      'Wanjirũ.pdf',
    );
    expect(fileNameOf('attachment')).toBeUndefined();
    expect(fileNameOf(null)).toBeUndefined();
  });
});
