/*
 * visits.h — visit planning (README.md "Visit planning"): one rep's field
 * capacity split by tier share, each account between its tier's floor and a
 * cap, what a tier cannot use flowing down to the next tier with a share;
 * and visit_cadence's table.  Pure planning: the SQL functions that read
 * the rows are in visits_sql.c.
 */
#ifndef ACCOUNT_TIER_VISITS_H
#define ACCOUNT_TIER_VISITS_H

#include "postgres.h"

#include "tiers.h"

#define TIERS (TIER_C + 1)

/* The equal form is the weighted one with this weight on every account. */
#define EQUAL_WEIGHT 1.0

/* What a partition is planned with, read from its first row. */
typedef struct VisitParams
{
	double		capacity;		/* field visits a year */
	double		share[TIERS];	/* each tier's share of capacity */
	double		max_per_account;	/* the cap; +Infinity = no cap */
	double		floor[TIERS];	/* each tier's floor (min_a, min_b, min_c);
								 * 0 in the equal form */
} VisitParams;

/*
 * How a tier's accounts are planned, clamp(lambda * w, floor, cap) of README.md
 * "Visit planning":
 * an account of weight w <= floor_to gets lo, of weight w >= cap_from gets
 * hi, any other level * (w / scale) kept within [lo, hi].  level is lambda
 * in units of scale (a weight, or a power of 2 near the largest uncapped
 * weight), so that it stays finite whatever the ratio of the weights, and
 * level * (w / scale) is never Infinity * 0.
 */
typedef struct TierPlan
{
	double		lo;
	double		hi;
	double		floor_to;
	double		cap_from;
	double		level;
	double		scale;
} TierPlan;

extern const char *const visit_share_names[TIERS];
extern const char *const visit_floor_names[TIERS];

extern void check_visit_params(VisitParams *params);
extern void plan_equal(const VisitParams *params, const int64 *accounts, TierPlan *plans);
extern void plan_weighted(const VisitParams *params, const int64 *accounts,
						  double *weights, uint8 *tiers, int64 n, TierPlan *plans);
extern const char *visit_cadence_of(double visits);

/* The visits of an account of weight w (0 for NULL or negative) under its tier's plan. */
static inline double
tier_visits(const TierPlan *plan, double w)
{
	if (w <= plan->floor_to)
		return plan->lo;
	if (w >= plan->cap_from)
		return plan->hi;
	return Min(Max(plan->level * (w / plan->scale), plan->lo), plan->hi);
}

#endif
