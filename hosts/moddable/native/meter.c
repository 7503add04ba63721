/*
 * mqtt-pair/meter: stops a student's program that never gives control back, with XS's own
 * metering (mxMetering: the engine counts its work, about one unit a bytecode, and calls a
 * function of ours every STEP units). manifest.json builds XS with -DmxMetering=1 on the
 * platforms that run programs; elsewhere every function here says there is no meter.
 *
 * While a program runs, metering is on. Each entry into the program (its module body, a timer,
 * a message, an event) goes through call(fn): a try of our own whose jump check() knows. When
 * the entry has taken more than its budget, check() unwinds straight to that jump, past every
 * try/catch of the program's (a `catch` cannot keep it going), freeing the jumps XS allocated for
 * them as fxExitToHost does, and call() returns true. Outside an entry (the firmware, a promise
 * reaction of the program's after an `await`), tick() from the firmware's own timer resets the
 * count; a run past OUTSIDE budgets without a tick makes XS abort with "too much computation",
 * which the firmware's abort hook counts as a stop before the board restarts.
 *
 * fxBeginMetering and fxEndMetering are the engine's (xs/sources/xsRun.c, exported); xs.h only
 * uses them in its xsBeginMetering macro, so they are declared here.
 */

#include "xsmc.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef mxMetering
extern void fxBeginMetering(xsMachine *the, xsBooleanValue (*callback)(xsMachine *, uint64_t), uint64_t interval);
extern void fxEndMetering(xsMachine *the);

/* Units between two checks: the check is a C call, rare enough to cost nothing. */
#define STEP 4096
/* Outside an entry, how many budgets may pass without a tick. */
#define OUTSIDE 4

static uint32_t gBudget = 0;	/* units an entry may take */
static uint32_t gSpent = 0;		/* units since the entry began, or the last tick */
static uint32_t gPeak = 0;		/* the most an entry took (to measure budgets), in units */
static xsJump *gJump = NULL;	/* the jump of the entry under way */
static uint8_t gStopped = 0;

static xsBooleanValue check(xsMachine *the, uint64_t index)
{
	(void)index;
	gSpent += STEP;
	if (gJump) {
		if (gSpent <= gBudget)
			return 1;
		xsJump *jump = the->firstJump;
		while (jump && (jump != gJump)) {
			xsJump *next = jump->nextJump;
			if (jump->flag)
				free(jump);		/* a try of the program's: XS allocated it (c_malloc is malloc) */
			jump = next;
		}
		if (jump) {
			gStopped = 1;
			the->firstJump = jump;
			longjmp(jump->buffer, 1);
		}
	}
	return gSpent <= gBudget * OUTSIDE;
}
#endif

/* start(budget): metering on, each entry allowed `budget` units; false where XS has no metering. */
void xs_mqttpair_meter_start(xsMachine *the)
{
#ifdef mxMetering
	int32_t budget = xsmcToInteger(xsArg(0));
	gBudget = budget > STEP ? (uint32_t)budget : STEP;
	gSpent = 0;
	gJump = NULL;
	fxBeginMetering(the, check, STEP);
	xsmcSetTrue(xsResult);
#else
	xsmcSetFalse(xsResult);
#endif
}

/* stop(): metering off. */
void xs_mqttpair_meter_stop(xsMachine *the)
{
#ifdef mxMetering
	gJump = NULL;
	fxEndMetering(the);
#endif
}

/* tick(): the firmware got control back: the count outside entries starts again. */
void xs_mqttpair_meter_tick(xsMachine *the)
{
#ifdef mxMetering
	if (!gJump)
		gSpent = 0;
#endif
}

/* peak(): the most units an entry took so far (to the nearest STEP). */
void xs_mqttpair_meter_peak(xsMachine *the)
{
#ifdef mxMetering
	xsmcSetInteger(xsResult, gPeak);
#else
	xsmcSetInteger(xsResult, -1);
#endif
}

/*
 * call(fn): fn() as one entry into the program; true when its budget stopped it, false when it
 * returned. What fn throws goes on to the caller. Entries do not nest (the API calls nothing of
 * the program's back), but an inner one would keep the outer's jump afterwards.
 */
void xs_mqttpair_meter_call(xsMachine *the)
{
#ifdef mxMetering
	xsJump *outer = gJump;
	uint32_t spent = gSpent;
	xsBooleanValue stopped = 0;
	gStopped = 0;
	gSpent = 0;
	{
		xsTry {
			gJump = &__JUMP__;
			xsCallFunction0(xsArg(0), xsUndefined);
			gJump = outer;
		}
		xsCatch {
			gJump = outer;
			stopped = gStopped;
			gStopped = 0;
			if (!stopped) {
				if (gSpent > gPeak) gPeak = gSpent;
				gSpent = spent;
				xsThrow(xsException);
			}
			/* check() left through fxCheckMetering, which turned metering off first: on again. */
			fxBeginMetering(the, check, STEP);
		}
	}
	if (gSpent > gPeak) gPeak = gSpent;
	gSpent = outer ? spent : 0;
	xsmcSetBoolean(xsResult, stopped);
#else
	xsCallFunction0(xsArg(0), xsUndefined);
	xsmcSetFalse(xsResult);
#endif
}
