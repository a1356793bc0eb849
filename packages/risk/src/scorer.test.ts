import { describe, expect, it } from 'vitest';
import { type Scorer, ScorerRegistry, ScorerValidationError } from './scorer.ts';

function constantScorer(name: string, pd = 0.1, overrides: Partial<Scorer> = {}): Scorer {
  return {
    name,
    version: '1.0.0',
    features: [{ name: 'x', meaning: 'a number', unit: 'count', kind: 'numeric', range: [0, 10] }],
    score: () => ({ pd, score: 500, grade: 'D', reasons: [], modelVersion: `${name}@1.0.0`, warnings: [] }),
    ...overrides,
  };
}

describe('scorer registry', () => {
  it('when a third-party scorer registers first, then it becomes the champion', () => {
    const registry = new ScorerRegistry().register(constantScorer('acme'));
    expect(registry.champion().name).toBe('acme');
    expect(registry.list()).toEqual([{ name: 'acme', version: '1.0.0', role: 'champion' }]);
  });

  it('when a scorer has a bad name, version or duplicate features, then registration lists every problem', () => {
    const bad = constantScorer('bad name', 0.1, {
      version: 'v1',
      features: [
        { name: 'x', meaning: 'm', unit: 'u', kind: 'numeric' },
        { name: 'x', meaning: 'm', unit: 'u', kind: 'numeric' },
      ],
    });
    try {
      new ScorerRegistry().register(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScorerValidationError);
      const problems = (error as ScorerValidationError).problems.join('\n');
      expect(problems).toMatch(/name must match/);
      expect(problems).toMatch(/version must be semantic/);
      expect(problems).toMatch(/declared twice/);
    }
  });

  it('when a scorer returns an out-of-range PD on the probe, then registration fails', () => {
    expect(() => new ScorerRegistry().register(constantScorer('broken', 1.5))).toThrow(/probe: pd must be/);
  });

  it('when the same name registers twice, then the second is refused', () => {
    const registry = new ScorerRegistry().register(constantScorer('a'));
    expect(() => registry.register(constantScorer('a'))).toThrow(/already registered/);
  });

  it('when a challenger throws, then the champion still decides and the error is recorded', () => {
    let calls = 0;
    const flaky = constantScorer('flaky', 0.2, {
      score: () => {
        calls++;
        if (calls > 1) throw new Error('boom');
        return { pd: 0.2, score: 400, grade: 'E', reasons: [], modelVersion: 'flaky@1.0.0', warnings: [] };
      },
    });
    const registry = new ScorerRegistry()
      .register(constantScorer('main'))
      .register(flaky, { role: 'challenger' });
    const { champion, shadow } = registry.scoreAll({ x: 1 });
    expect(champion.modelVersion).toBe('main@1.0.0');
    expect(shadow).toEqual([{ name: 'flaky', version: '1.0.0', error: 'boom' }]);
  });

  it('when a challenger is promoted, then it decides and the old champion runs in shadow', () => {
    const registry = new ScorerRegistry().register(constantScorer('old')).register(constantScorer('new'));
    registry.promote('new');
    expect(registry.champion().name).toBe('new');
    expect(registry.challengers().map((s) => s.name)).toEqual(['old']);
  });
});
