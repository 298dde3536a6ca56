// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Baselines and thresholds of the nightly regression check, on synthetic histories. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "regress.h"

#define MAX_NIGHTS 40

static struct regress_params params;
static struct regress_night nights[MAX_NIGHTS];

static void setup(void)
{
	regress_params_default(&params);
	memset(nights, 0, sizeof(nights));
}

TestSuite(history_regress, .init = setup);

/* Night i gets v[i], kernel "6.1", microcode "0xde". */
static void fill(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		nights[i].value = v[i];
		snprintf(nights[i].kernel, sizeof(nights[i].kernel), "6.1");
		snprintf(nights[i].microcode, sizeof(nights[i].microcode), "0xde");
	}
}

Test(history_regress, median_of_odd_and_even_counts_leaves_the_input_alone)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };

	cr_assert_float_eq(regress_median(odd, 3), 3, 1e-12);
	cr_assert_float_eq(regress_median(even, 4), 2.5, 1e-12);
	cr_assert_float_eq(odd[0], 5, 1e-12);
	cr_assert(isnan(regress_median(odd, 0)));
}

Test(history_regress, mad_sigma_is_1_4826_times_the_median_absolute_deviation)
{
	/* median 10, deviations 0 1 1 2 5 -> MAD 1 */
	double v[] = { 10, 9, 11, 12, 15 }, flat[] = { 7, 7, 7, 7 };

	cr_assert_float_eq(regress_mad_sigma(v, 5), 1.4826, 1e-12);
	cr_assert_float_eq(regress_mad_sigma(flat, 4), 0, 1e-12);
	cr_assert_float_eq(regress_mad_sigma(v, 1), 0, 1e-12);
}

Test(history_regress, too_few_nights_is_learning)
{
	double v[] = { 100, 101, 99, 100, 500 };

	fill(v, 5);
	struct regress_result r;

	cr_assert_eq(regress_evaluate(nights, 5, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_LEARNING);
	cr_assert_eq(r.noise_nights, 4);
	cr_assert_eq(regress_evaluate(nights, 0, &params, &r), -1);
}

Test(history_regress, threshold_is_centre_plus_k_sigma_on_noisy_nights)
{
	/* centre 100, MAD 2 -> sigma 2.9652, margin 4 * 2.9652 = 11.86 > 1 % floor */
	double v[] = { 96, 102, 98, 100, 104, 100, 102, 98, 111 };
	struct regress_result r;

	fill(v, 9);
	cr_assert_eq(regress_evaluate(nights, 9, &params, &r), 0);
	cr_assert_float_eq(r.centre, 100, 1e-9);
	cr_assert_float_eq(r.sigma, 2 * 1.4826, 1e-9);
	cr_assert_float_eq(r.threshold, 100 + 4 * 2 * 1.4826, 1e-9);
	cr_assert_eq(r.verdict, REGRESS_OK, "111 is inside 100 + 11.86");
	cr_assert_eq(r.centre_nights, 8);
	nights[8].value = 112;
	cr_assert_eq(regress_evaluate(nights, 9, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_REGRESSED);
	cr_assert_eq(r.changed, 0);
}

Test(history_regress, zero_noise_history_uses_the_floor)
{
	double v[] = { 1000, 1000, 1000, 1000, 1000, 1000, 1009 };
	struct regress_result r;

	fill(v, 7);
	cr_assert_eq(regress_evaluate(nights, 7, &params, &r), 0);
	cr_assert_float_eq(r.sigma, 0, 1e-12);
	cr_assert_float_eq(r.margin, 10, 1e-9, "1 %% of 1000");
	cr_assert_eq(r.verdict, REGRESS_OK);
	nights[6].value = 1011;
	cr_assert_eq(regress_evaluate(nights, 7, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_REGRESSED);
	/* the absolute floor wins for tiny values */
	params.floor_abs = 50;
	cr_assert_eq(regress_evaluate(nights, 7, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_OK);
}

Test(history_regress, faster_nights_are_improvements_not_alerts)
{
	double v[] = { 1000, 1000, 1000, 1000, 1000, 1000, 900 };
	struct regress_result r;

	fill(v, 7);
	cr_assert_eq(regress_evaluate(nights, 7, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_IMPROVED);
}

Test(history_regress, a_kernel_update_alerts_once_then_becomes_the_baseline)
{
	struct regress_result r;
	size_t n = 20;

	for (size_t i = 0; i < n; i++) {
		nights[i].value = i < 10 ? 6000 : 6240;
		snprintf(nights[i].kernel, sizeof(nights[i].kernel), i < 10 ? "6.1" : "6.12");
		snprintf(nights[i].microcode, sizeof(nights[i].microcode), "0xde");
	}
	for (size_t t = 5; t < n; t++) {
		cr_assert_eq(regress_evaluate(nights, t + 1, &params, &r), 0);
		if (t == 10) {
			cr_assert_eq(r.verdict, REGRESS_REGRESSED, "night %zu", t);
			cr_assert_eq(r.changed, REGRESS_CHANGED_KERNEL);
			cr_assert_float_eq(r.centre, 6000, 1e-9);
		} else {
			cr_assert_eq(r.verdict, REGRESS_OK, "night %zu: %s", t,
				     regress_verdict_name(r.verdict));
			cr_assert_eq(r.changed, 0);
		}
	}
}

Test(history_regress, a_young_regime_keeps_the_previous_noise)
{
	/* 6 noisy nights on 6.1, then 6.12 at 200: centre 200, noise of 6.1 */
	double v[] = { 90, 110, 100, 95, 105, 100, 200, 200, 215 };
	struct regress_result r;

	fill(v, 9);
	for (int i = 6; i < 9; i++)
		snprintf(nights[i].kernel, sizeof(nights[i].kernel), "6.12");
	cr_assert_eq(regress_evaluate(nights, 9, &params, &r), 0);
	cr_assert_float_eq(r.centre, 200, 1e-9);
	cr_assert_eq(r.centre_nights, 2);
	cr_assert_eq(r.noise_nights, 6);
	cr_assert_float_eq(r.sigma, regress_mad_sigma(v, 6), 1e-9);
	cr_assert_eq(r.verdict, REGRESS_OK, "215 <= 200 + 4 * %g", r.sigma);
}

Test(history_regress, a_microcode_update_is_named)
{
	double v[] = { 50, 50, 50, 50, 50, 50, 60 };
	struct regress_result r;

	fill(v, 7);
	snprintf(nights[6].microcode, sizeof(nights[6].microcode), "0xf0");
	cr_assert_eq(regress_evaluate(nights, 7, &params, &r), 0);
	cr_assert_eq(r.verdict, REGRESS_REGRESSED);
	cr_assert_eq(r.changed, REGRESS_CHANGED_MICROCODE);
}

Test(history_regress, the_window_forgets_old_nights)
{
	/* 10 old nights at 500, then 5 at 100: window 5 sees only the 100s */
	double v[16];
	struct regress_result r;

	for (int i = 0; i < 15; i++)
		v[i] = i < 10 ? 500 : 100;
	v[15] = 150;
	fill(v, 16);
	params.window = 5;
	cr_assert_eq(regress_evaluate(nights, 16, &params, &r), 0);
	cr_assert_float_eq(r.centre, 100, 1e-9);
	cr_assert_eq(r.verdict, REGRESS_REGRESSED);
	params.window = 14;
	cr_assert_eq(regress_evaluate(nights, 16, &params, &r), 0);
	cr_assert_float_eq(r.centre, 500, 1e-9);
	cr_assert_eq(r.verdict, REGRESS_IMPROVED, "centre 500 with a 14-night window");
}

Test(history_regress, bad_parameters_are_refused_with_a_reason)
{
	const char *why = NULL;

	cr_assert_eq(regress_params_check(&params, &why), 0);
	params.min_nights = 1;
	cr_assert_eq(regress_params_check(&params, &why), -1);
	cr_assert_not_null(why);
	regress_params_default(&params);
	params.min_nights = 20;
	cr_assert_eq(regress_params_check(&params, &why), -1);
	regress_params_default(&params);
	params.k = -1;
	cr_assert_eq(regress_params_check(&params, &why), -1);
	regress_params_default(&params);
	params.floor_rel = NAN;
	cr_assert_eq(regress_params_check(&params, &why), -1);
}

/* Tonight's verdict for a step of STEP % after NIGHTS flat nights of noise NOISE. */
struct step_case {
	unsigned int nights;
	double noise;		/* +/- alternating around 1000 */
	double step_pct;
	enum regress_verdict expected;
};

ParameterizedTestParameters(history_regress, steps)
{
	static struct step_case cases[] = {
		{ .nights = 3,  .noise = 0,  .step_pct = 50,  .expected = REGRESS_LEARNING },
		{ .nights = 5,  .noise = 0,  .step_pct = 0.5, .expected = REGRESS_OK },
		{ .nights = 5,  .noise = 0,  .step_pct = 2,   .expected = REGRESS_REGRESSED },
		{ .nights = 14, .noise = 20, .step_pct = 5,   .expected = REGRESS_OK },
		{ .nights = 14, .noise = 20, .step_pct = 15,  .expected = REGRESS_REGRESSED },
		{ .nights = 14, .noise = 20, .step_pct = -15, .expected = REGRESS_IMPROVED },
		{ .nights = 30, .noise = 1,  .step_pct = 1.5, .expected = REGRESS_REGRESSED },
	};

	return cr_make_param_array(struct step_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct step_case *c, history_regress, steps)
{
	struct regress_result r;

	for (unsigned int i = 0; i < c->nights; i++) {
		nights[i].value = 1000 + (i % 2 ? c->noise : -c->noise);
		snprintf(nights[i].kernel, sizeof(nights[i].kernel), "6.1");
	}
	nights[c->nights] = nights[0];
	nights[c->nights].value = 1000 * (1 + c->step_pct / 100);
	cr_assert_eq(regress_evaluate(nights, c->nights + 1, &params, &r), 0);
	cr_assert_eq(r.verdict, c->expected, "%u nights, noise %g, step %g %%: %s", c->nights,
		     c->noise, c->step_pct, regress_verdict_name(r.verdict));
}
