import { describe, expect, it } from 'vitest';
import { isProtected, parseCsv, toDataset } from './dataset.ts';

const csv = `Status,Income,Home,Age,Marital,Flag
good,100,rent,30,single,1
bad,NA,owner,40,married,1
good,,NA,50,widow,1
bad,80,rent,22,single,1
,90,rent,33,single,1
`;

describe('training data set', () => {
  it('when a CSV has numbers, categories and NA, then columns are typed and missing cells become null', () => {
    const ds = toDataset(parseCsv(csv), { target: 'Status', bad: 'bad' });
    expect(ds.features).toEqual([
      { name: 'Income', kind: 'numeric' },
      { name: 'Home', kind: 'categorical' },
    ]);
    expect(ds.rows.map((r) => r.Income)).toEqual([100, null, null, 80]);
    expect(ds.rows[2]?.Home).toBeNull();
    expect(Array.from(ds.labels)).toEqual([0, 1, 0, 1]);
  });

  it('when nothing else is said, then protected attributes are excluded and constants dropped', () => {
    const ds = toDataset(parseCsv(csv), { target: 'Status', bad: 'bad' });
    expect(ds.excluded).toEqual([
      { column: 'Age', reason: 'protected' },
      { column: 'Marital', reason: 'protected' },
      { column: 'Flag', reason: 'constant' },
    ]);
  });

  it('when protected attributes are asked for, then they are kept; --exclude removes others', () => {
    const ds = toDataset(parseCsv(csv), {
      target: 'Status',
      bad: 'bad',
      includeProtected: true,
      exclude: ['Home'],
    });
    expect(ds.features.map((f) => f.name)).toEqual(['Income', 'Age', 'Marital']);
    expect(ds.excluded).toContainEqual({ column: 'Home', reason: 'requested' });
  });

  it('when German Credit columns are checked, then Personal.* and Age count as protected and others do not', () => {
    expect(isProtected('Personal.Male.Single')).toBe(true);
    expect(isProtected('Age')).toBe(true);
    expect(isProtected('sex')).toBe(true);
    expect(isProtected('Amount')).toBe(false);
    expect(isProtected('Agency')).toBe(false);
    expect(isProtected('Housing.Own')).toBe(false);
  });

  it('when the target has a single class, then the data set is refused', () => {
    expect(() => toDataset(parseCsv('y,x\ngood,1\ngood,2\n'), { target: 'y', bad: 'bad' })).toThrow(/both/);
  });
});
