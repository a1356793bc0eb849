import { Statement, StatementQuery } from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { renderStatement, STATEMENT_MEDIA_TYPES, statementFileName } from './render.ts';
import type { StatementService } from './service.ts';

export function statementRoutes(api: Api, statements: StatementService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/accounts/{id}/statement',
      operationId: 'getStatement',
      summary:
        'A statement for a period: JSON, CSV, PDF or ISO 20022 camt.053, streamed (staff reads are audited)',
      tag: 'Accounts',
      auth: 'any',
      scopes: ['transactions:read'],
      query: StatementQuery,
      responses: {
        200: {
          description:
            'The statement. `format=json` answers this JSON; `csv` answers `text/csv` (RFC 4180), `pdf` answers `application/pdf`, `camt053` answers `application/xml` (camt.053.001.08), each as an attachment named in Content-Disposition. Opening balance + Σ lines = closing balance = the ledger’s balance at `to`; a statement that does not add up is broken off, never finished.',
          schema: Statement,
          alternatives: ['text/csv', 'application/pdf', 'application/xml'],
        },
      },
    },
    async ({ principal, params, query }) => {
      const format = query.format ?? 'json';
      const { header, lines } = await statements.open(principal, params.id as string, {
        from: query.from,
        to: query.to,
        format,
      });
      const disposition = format === 'json' ? 'inline' : 'attachment';
      return {
        status: 200,
        headers: {
          'Content-Type': STATEMENT_MEDIA_TYPES[format],
          'Content-Disposition': `${disposition}; filename="${statementFileName(header, format)}"`,
        },
        write: (out) => renderStatement(format, header, lines, out),
      };
    },
  );
}
