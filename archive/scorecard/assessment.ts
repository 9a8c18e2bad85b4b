/**
 * The assessment configuration (config/assessment.json): the seed's rules and numbers, plus the
 * inputs the complaint records cannot hold (hotline availability, sampled answer rate, subscriber
 * counts), validated here.
 */
import { z } from 'zod';
import { channels, urgentReasons } from '../../domain/complaint';

export const unitKinds = ['department', 'partner'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** The figures about a department or partner that complaint records do not hold. */
const unitInputSchema = z
  .object({
    /** 000 §3a(1): a 7×24 fixed customer-service line (not an extension). */
    hotline24x7: z.boolean().optional(),
    /** 000 §3a(1),(3): a mobile contact number that is never switched off or forwarded. */
    mobileContact24x7: z.boolean().optional(),
    /** 000 §4 note: a customer reported the hotline unreachable within the agreed time. */
    hotlineReportedUnreachable: z.boolean().optional(),
    /** 000 §4 note: a contact number, contact person or fax changed without notice. */
    contactChangeUnnotified: z.boolean().optional(),
    /** 000 §4 note: the call connection rate (%); below the floor voids both availability items. */
    connectionRatePct: z.number().min(0).max(100).optional(),
    /** 000 §4.4: answered by a person within 15 s ÷ sampled calls (%). */
    answerTimelinessPct: z.number().min(0).max(100).optional(),
    /** 000 §4.7: the users the complaint rate divides by. */
    subscribers: z.int().positive().optional(),
    /** 000 §4.8: the bonus (1–5, 视可加分) this unit gets if it ranks in the top three twice in a row. */
    topThreeBonusPoints: z.number().min(0).max(5).optional(),
    /** 000 §2d: cooperation is suspended (暂时停止合作): new transferred complaints stay with the platform. */
    suspended: z.boolean().optional(),
    /** 000 §2d: the business revenue (业务收入) the partner's services bring in one assessment month, in fen. */
    monthlyRevenueFen: z.int().nonnegative().optional(),
  })
  .strict();
export type UnitInputs = z.infer<typeof unitInputSchema>;

const points = z.number().nonnegative();

export const assessmentSchema = z
  .object({
    /** Local time of the assessment window, minutes east of UTC (Asia/Shanghai: 480). */
    timeZoneOffsetMinutes: z.int().min(-720).max(840),
    rules: z.object({
      source: z.string().min(1),
      hotline: z.object({ points }),
      mobileContact: z.object({ points }),
      connectionRateFloorPct: z.number().min(0).max(100),
      serviceComplaints: z.object({
        points,
        deductions: z.object({ phone: points, letter: points, carrier: points, media: points, regulator: points }),
      }),
      answerTimeliness: z.object({ points, targetPct: z.number().min(0).max(100), perPointBelow: points }),
      handlingTime: z.object({ points, perOverdueCase: points }),
      resolutionRate: z.object({ points, targetPct: z.number().min(0).max(100), perPointBelow: points }),
      complaintRate: z.object({ points, targetPct: z.number().min(0).max(100), perPointAbove: points }),
    }),
    /** How a complaint's channel counts in the service-complaints item: a phone or a written complaint. */
    channelClass: z.record(z.enum(channels), z.enum(['phone', 'letter'])),
    /** The clocks whose breach makes a case overdue in the handling-time item, per kind of unit. */
    overdueClocks: z.object({ department: z.array(z.string().min(1)), partner: z.array(z.string().min(1)) }),
    emergencySeats: z.object({
      /** The kinds of unit charged (000 §5 charges SPs). */
      appliesTo: z.array(z.enum(unitKinds)),
      /** How many of the lowest scores are flagged (000 §5: the bottom 10). */
      bottomCount: z.int().positive(),
      /** Seats charged by position from the bottom (000 §5: 1–5 two seats, 6–10 one seat). */
      tiers: z.array(z.object({ fromBottom: z.int().positive(), toBottom: z.int().positive(), seats: z.int().nonnegative() })),
      /** The service centre's cost of one seat for the month, in fen (deployment data). */
      seatCostFen: z.int().nonnegative(),
      /** 000 §5: charged at 120% of the seat cost. */
      costMultiplier: z.number().nonnegative(),
    }),
    /** 000 §4.8: 连续两次考核得前3名者视可加分1~5分. Absent: no bonus. */
    topThreeBonus: z
      .object({
        source: z.string().min(1),
        appliesTo: z.array(z.enum(unitKinds)),
        /** Ranked at or above this place ... */
        topN: z.int().positive(),
        /** ... in this many consecutive assessments (this month included). */
        consecutive: z.int().min(2),
        /** The award when the unit's own `topThreeBonusPoints` is not configured (1..5). */
        defaultPoints: z.number().min(1).max(5),
      })
      .optional(),
    /** 000 §2d: a partner with mass complaints (大批用户强烈投诉) may be suspended. Absent: never proposed. */
    partnerSuspension: z
      .object({
        source: z.string().min(1),
        /** Upheld complaints from this many different customers against one partner ... */
        customers: z.int().positive(),
        /** ... submitted within this many days, propose suspending it. */
        withinDays: z.int().positive(),
        /** One upheld complaint of these urgent kinds against the partner also does (恶劣社会影响). */
        urgentReasons: z.array(z.enum(urgentReasons)).default([]),
      })
      .optional(),
    /**
     * 000 §2d: 由SP业务造成的客服成本已高于该SP业务所带来业务收入时,将终止与其的合作: when the customer-service
     * cost a partner's business causes exceeds the revenue it brings, terminating the partnership is
     * recommended. Absent: never recommended.
     */
    partnerTermination: z
      .object({
        source: z.string().min(1),
        /** What handling one complaint costs the service centre, in fen (deployment data). */
        handlingCostPerComplaintFen: z.int().nonnegative(),
      })
      .optional(),
    defaults: z.object({ department: unitInputSchema, partner: unitInputSchema }),
    departments: z.record(z.string().min(1), unitInputSchema).default({}),
    partners: z.record(z.string().min(1), unitInputSchema).default({}),
    /**
     * Figures in this file that are placeholders, not the deployment's real numbers (e.g.
     * "emergencySeats.seatCostFen"): the scorecard, its API answer and the report page say so.
     */
    placeholders: z.array(z.object({ path: z.string().min(1), note: z.string().min(1) })).default([]),
  })
  .refine((a) => channels.every((c) => a.channelClass[c] !== undefined), {
    message: `channelClass names every channel (${channels.join(', ')})`,
    path: ['channelClass'],
  });
export type Assessment = z.infer<typeof assessmentSchema>;

/** Validates an assessment configuration; the message names the file and each bad field. */
export function parseAssessment(raw: unknown, source = 'assessment'): Assessment {
  const parsed = assessmentSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid assessment configuration ${source}:\n${problems}`);
  }
  return parsed.data;
}
