import type { Money } from '@wekeza/sdk';
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey } from '../../i18n/index.ts';

/** One schedule row as both a quote and a booked loan have it (a loan adds what is paid and the state). */
export interface ScheduleRow {
  n: number;
  dueDate: string;
  principal: Money;
  interest: Money;
  fees: Money;
  total: Money;
  paid?: { total: Money };
  state?: 'paid' | 'overdue' | 'due' | 'upcoming';
}

export interface ScheduleFormat {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  money: (value: Money) => string;
  date: (value: string) => string;
}

/**
 * The schedule as a table (the chart's data for screen readers, and the numbers for everyone):
 * number, due date, principal, interest, fees, total and, for a booked loan, paid and state.
 */
export function scheduleTable(
  rows: readonly ScheduleRow[],
  f: ScheduleFormat,
  caption: string,
): TemplateResult {
  const booked = rows.some((row) => row.state !== undefined);
  const fees = rows.some((row) => !row.fees.isZero());
  return html`<div class="table-wrap">
    <table part="schedule">
      <caption class="visually-hidden">${caption}</caption>
      <thead>
        <tr>
          <th scope="col">${f.t('apply.n')}</th>
          <th scope="col">${f.t('apply.dueDate')}</th>
          <th scope="col" class="num">${f.t('apply.principal')}</th>
          <th scope="col" class="num">${f.t('apply.interest')}</th>
          ${fees ? html`<th scope="col" class="num">${f.t('apply.fees')}</th>` : nothing}
          <th scope="col" class="num">${f.t('apply.total')}</th>
          ${
            booked
              ? html`<th scope="col" class="num">${f.t('loan.paid')}</th>
                  <th scope="col">${f.t('loan.state')}</th>`
              : nothing
          }
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr part=${`instalment ${row.state ?? ''}`.trim()}>
            <td>${row.n}</td>
            <td>${f.date(row.dueDate)}</td>
            <td class="num">${f.money(row.principal)}</td>
            <td class="num">${f.money(row.interest)}</td>
            ${fees ? html`<td class="num">${f.money(row.fees)}</td>` : nothing}
            <td class="num">${f.money(row.total)}</td>
            ${
              booked
                ? html`<td class="num">${row.paid ? f.money(row.paid.total) : ''}</td>
                    <td><span class="state state-${row.state}">${f.t(`loan.state.${row.state}` as MessageKey)}</span></td>`
                : nothing
            }
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The chart's series: principal and interest per instalment, in major units for drawing only. */
export function scheduleSeries(rows: readonly ScheduleRow[]): {
  labels: string[];
  principal: number[];
  interest: number[];
} {
  const major = (m: Money) => Number(m.toDecimalString());
  return {
    labels: rows.map((row) => String(row.n)),
    principal: rows.map((row) => major(row.principal)),
    interest: rows.map((row) => major(row.interest)),
  };
}
