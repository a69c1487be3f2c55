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
 * The yield budget of callers waiting for a group: how many looks a wait gets, and how the
 * outcome of each wait moves the next one's budget (against a model, over any sequence of waits).
 */
class YieldBudgetTest {

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
        YieldBudget budget = new YieldBudget();
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
        YieldBudget budget = new YieldBudget();
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

    /**
     * Any sequence of waits: each looks at most its budget, ends when the condition holds, and
     * moves the budget as the model says (one more after a wait that ended, one less after one
     * that did not, always within 1..MAX).
     */
    @Property(tries = 200)
    void theBudgetFollowsTheModel(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 12) Integer> waits) {
        YieldBudget budget = new YieldBudget();
        int model = YieldBudget.MAX;
        for (int trueAt : waits) {
            Looks looks = new Looks(trueAt);
            boolean ended = budget.yieldUntil(looks::look);
            boolean modelEnded = trueAt > 0 && trueAt <= model;
            assertEquals(modelEnded, ended);
            assertEquals(modelEnded ? trueAt : model, looks.looks);
            model = modelEnded ? Math.min(YieldBudget.MAX, model + 1) : Math.max(1, model - 1);
            assertEquals(model, budget.budget());
        }
    }
}
