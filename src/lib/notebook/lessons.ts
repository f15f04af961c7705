/**
 * The what-if widgets of the learn mode: each lesson fixes its inputs (the numbers its step teaches, and
 * what "Reset to baseline" returns to), the sliders it offers and the metrics it shows, so a widget shows
 * exactly the number its text teaches and nothing the student has not met yet. Pure (no DOM, no svelte).
 *
 * Step 1 (textbook): CLV = AOV × purchases a year × lifetime, lifetime = 1/(1 − r) years:
 *   50 × 3 × 1/(1 − 0.8) = 750; at r = 0.9 the lifetime doubles to 10 years and CLV to 1,500.
 * Step 2 (margin): 30% of 750 = 225.
 * Step 3 (discount): Σ_{t=0}^{4} 45·(0.8/1.1)^t = 131.43 (45 = 30% × 50 × 3, five yearly periods, 10%/year).
 * Step 7 (payback): the full what-if on a monthly sBG business (the simulator's defaults, written out so that
 * a change of the defaults or of the what-if's fitted baseline never changes what the text says).
 */
import type { LeverName, WhatIfInputs } from '../sim/inputs.ts';
import type { WhatIfResult } from '../sim/unitEconomics.ts';

/** Lesson ids of the what-if cell's `lesson` parameter ('' = not a lesson). */
export const LESSON_IDS = ['', 'textbook', 'margin', 'discount', 'payback'] as const;
export type LessonId = Exclude<(typeof LESSON_IDS)[number], ''>;

/** A number a lesson widget can show. */
export type LessonMetric = 'textbook' | 'withMargin' | 'discounted' | 'lifetimeYears' | 'revenuePerYear';

export interface Lesson {
  /** The lesson's inputs: the cell's starting values and the target of Reset. */
  inputs: Readonly<WhatIfInputs>;
  /** The sliders shown, in the what-if's order; null = the full what-if (every slider, metric and chart). */
  levers: readonly LeverName[] | null;
  /** The big number (the one the step teaches); null with `levers` null. */
  headline: LessonMetric | null;
  /** Smaller numbers beside it, each taught in this step or an earlier one. */
  extras: readonly LessonMetric[];
}

/** Yearly periods, constant churn (heterogeneity 0), no margin, no discounting: the textbook customer. */
const TEXTBOOK: Readonly<WhatIfInputs> = {
  retentionPerPeriod: 0.8,
  retentionHeterogeneity: 0,
  purchasesPerYear: 3,
  averageOrderValue: 50,
  grossMarginPct: 100,
  acquisitionCost: 100,
  annualDiscountRate: 0,
  horizonMonths: 60,
  newCustomersPerPeriod: 1000,
  programmeCostPerCustomerPerPeriod: 0,
  winBackRatePerPeriod: 0,
  periodMonths: 12,
};

const BASIC: readonly LeverName[] = ['retentionPerPeriod', 'purchasesPerYear', 'averageOrderValue'];

export const LESSONS: Readonly<Record<LessonId, Lesson>> = {
  textbook: {
    inputs: TEXTBOOK,
    levers: BASIC,
    headline: 'textbook',
    extras: ['revenuePerYear', 'lifetimeYears'],
  },
  margin: {
    inputs: { ...TEXTBOOK, grossMarginPct: 30 },
    levers: [...BASIC, 'grossMarginPct'],
    headline: 'withMargin',
    extras: ['textbook', 'lifetimeYears'],
  },
  discount: {
    inputs: { ...TEXTBOOK, grossMarginPct: 30, annualDiscountRate: 0.1 },
    // No horizon slider: with yearly periods it would move in months and change the sum only every 12.
    levers: [...BASIC, 'grossMarginPct', 'annualDiscountRate'],
    headline: 'discounted',
    extras: ['withMargin', 'textbook'],
  },
  payback: {
    // = DEFAULT_INPUTS of src/lib/sim/inputs.ts at the time the step's text was written.
    inputs: {
      retentionPerPeriod: 0.9,
      retentionHeterogeneity: 0.2,
      purchasesPerYear: 4,
      averageOrderValue: 60,
      grossMarginPct: 40,
      acquisitionCost: 80,
      annualDiscountRate: 0.1,
      horizonMonths: 60,
      newCustomersPerPeriod: 1000,
      programmeCostPerCustomerPerPeriod: 0,
      winBackRatePerPeriod: 0,
      periodMonths: 1,
    },
    levers: null,
    headline: null,
    extras: [],
  },
};

/** The lesson named by a cell's `lesson` parameter, or null (not a lesson, or unknown). */
export function findLesson(id: unknown): Lesson | null {
  return typeof id === 'string' && Object.hasOwn(LESSONS, id) ? LESSONS[id as LessonId] : null;
}

/** The lesson's inputs (a fresh copy) for a cell's `lesson` parameter, or null when it is not a lesson. */
export function lessonBaseline(id: unknown): WhatIfInputs | null {
  const lesson = findLesson(id);
  return lesson ? { ...lesson.inputs } : null;
}

/**
 * The value of a lesson metric from a what-if result: money per customer, except lifetimeYears (years) and
 * revenuePerYear (money per active customer per year). Example: textbook inputs -> textbook 750,
 * lifetimeYears 5 (= 1/(1 − 0.8) yearly periods), revenuePerYear 150.
 */
export function lessonMetric(metric: LessonMetric, r: WhatIfResult): number {
  switch (metric) {
    case 'textbook':
      return r.clvTextbook;
    case 'withMargin':
      return r.steps.withMargin;
    case 'discounted':
      return r.clvConstantChurn;
    case 'lifetimeYears':
      return r.inputs.periodMonths / 12 / (1 - r.inputs.retentionPerPeriod);
    case 'revenuePerYear':
      return r.inputs.averageOrderValue * r.inputs.purchasesPerYear;
  }
}
