package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The yield budget of callers waiting for a group: how many looks a wait gets, how the outcome of
 * each wait moves the next one's budget, and how yields that find nobody else to run cut a wait's
 * yielding short (against a model, over any sequence of waits). A yield here only moves a clock the
 * test owns, by as long as the yield is meant to have lasted, so a test says which yields ran
 * another thread and which did not.
 */
class YieldBudgetTest {

    /** A yield that ran another thread for a while. */
    private static final long BUSY = 50_000;
    /** A yield that came straight back: nobody else wanted the core. */
    private static final long IDLE = 1_000;

    /** The test's clock, moved only by the yields: they last the {@code steps} in turn, over and over. */
    private static final class Yields {
        long now;
        long[] steps = {BUSY};
        int yielded;

        YieldBudget budget() {
            return new YieldBudget(() -> now += steps[yielded++ % steps.length], () -> now);
        }
    }

    /** A condition that becomes true at its {@code trueAt}-th look (never, when 0), counting looks. */
    private static final class Looks {
        final int trueAt;
        int looks;

        Looks(int trueAt) {
            this.trueAt = trueAt;
        }

        boolean look() {
            looks++;
            return trueAt > 0 && looks >= trueAt;
        }
    }

    @Test
    void aWaitThatDoesNotEndLooksBudgetTimesAndLeavesTheNextOneYieldLessButNeverNone() {
        YieldBudget budget = new Yields().budget();
        for (int expected = YieldBudget.MAX; expected >= 1; expected--) {
            Looks never = new Looks(0);
            assertFalse(budget.yieldUntil(never::look), "the caller parks after its yields");
            assertEquals(expected, never.looks, "one look after each yield, as many as the budget");
        }
        Looks again = new Looks(0);
        budget.yieldUntil(again::look);
        assertEquals(1, again.looks, "a budget that shrank still probes, so it can grow again");
        assertEquals(1, budget.budget());
    }

    @Test
    void aWaitThatEndsWhileYieldingStopsThereAndEarnsTheNextOneAYieldUpToTheCap() {
        YieldBudget budget = new Yields().budget();
        for (int i = 0; i < YieldBudget.MAX; i++) {
            budget.yieldUntil(new Looks(0)::look); // down to 1
        }
        for (int expected = 2; expected <= YieldBudget.MAX; expected++) {
            Looks first = new Looks(1);
            assertTrue(budget.yieldUntil(first::look));
            assertEquals(1, first.looks, "no look past the one that saw it done");
            assertEquals(expected, budget.budget());
        }
        assertTrue(budget.yieldUntil(new Looks(1)::look));
        assertEquals(YieldBudget.MAX, budget.budget(), "never past the cap");
    }

    @Test
    void yieldsThatFindNobodyElseToRunEndTheWaitsYieldingWhateverTheBudget() {
        Yields yields = new Yields();
        yields.steps = new long[] {IDLE};
        YieldBudget budget = yields.budget();
        Looks never = new Looks(0);
        assertFalse(budget.yieldUntil(never::look));
        assertEquals(YieldBudget.MAX_IDLE_YIELDS, never.looks,
                "a busy wait on an idle machine stops where the old budget of 10 stopped, not at 40");
        assertEquals(YieldBudget.MAX - 1, budget.budget(), "it had to park, so the next wait yields less");

        Looks late = new Looks(YieldBudget.MAX_IDLE_YIELDS + 1);
        assertFalse(budget.yieldUntil(late::look), "an outcome after the idle yields is met parked");
        assertEquals(YieldBudget.MAX_IDLE_YIELDS, late.looks);
    }

    @Test
    void onlyTheYieldsThatRanNobodyCountTowardsTheIdleLimit() {
        Yields yields = new Yields();
        yields.steps = new long[] {IDLE, BUSY};
        YieldBudget budget = yields.budget();
        Looks never = new Looks(0);
        assertFalse(budget.yieldUntil(never::look));
        assertEquals(2 * YieldBudget.MAX_IDLE_YIELDS - 1, never.looks,
                "ten idle yields among nine that ran others");
    }

    /**
     * Any sequence of waits, each with yields that all run others or all come straight back: each
     * wait looks at most its budget (and at most {@link YieldBudget#MAX_IDLE_YIELDS} times when its
     * yields are idle), ends when the condition holds, and moves the budget as the model says (one
     * more after a wait that ended, one less after one that did not, always within 1..MAX).
     */
    @Property(tries = 200)
    void theBudgetFollowsTheModel(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 45) Integer> waits,
            @ForAll @Size(max = 60) List<Boolean> idle) {
        Yields yields = new Yields();
        YieldBudget budget = yields.budget();
        int model = YieldBudget.MAX;
        for (int w = 0; w < waits.size(); w++) {
            int trueAt = waits.get(w);
            boolean idleYields = w < idle.size() && idle.get(w);
            yields.steps = new long[] {idleYields ? IDLE : BUSY};
            Looks looks = new Looks(trueAt);
            boolean ended = budget.yieldUntil(looks::look);
            int limit = idleYields ? Math.min(model, YieldBudget.MAX_IDLE_YIELDS) : model;
            boolean modelEnded = trueAt > 0 && trueAt <= limit;
            assertEquals(modelEnded, ended);
            assertEquals(modelEnded ? trueAt : limit, looks.looks);
            model = modelEnded ? Math.min(YieldBudget.MAX, model + 1) : Math.max(1, model - 1);
            assertEquals(model, budget.budget());
        }
    }
}
