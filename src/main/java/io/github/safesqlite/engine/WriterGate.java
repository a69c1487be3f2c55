package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.time.Clock;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits one holder at a time to the writer, first come first served.
 *
 * <p>A fair lock that parks every waiter pays a wake-up per hand-off while the writer sits idle,
 * which costs more than an insert. Two things avoid that here:
 * <ul>
 *   <li>An autocommit statement is handed in as a {@link Task}. Whoever holds the gate runs the
 *       tasks queued behind it, in order, before letting go ("flat combining"), so a burst of
 *       single-statement writes runs back to back on one thread; each waiter is only woken with
 *       its result. While its group runs, such a waiter yields its CPU a few times before it
 *       parks, so that a group that commits meanwhile costs it no sleep and nobody a wake-up
 *       ({@link YieldBudget}, which stops yielding where that does not pay).</li>
 *   <li>A transaction needs the gate itself ({@link #acquire}). Its waiter parks, and the hand-off
 *       unparks it. It does not spin while it waits its turn: measured on a loaded 2-core machine, a
 *       head waiter that spun for as little as 50 µs (busy, or yielding) at every release kept the
 *       second core from the thread the hand-off woke, and 8 threads of transfers fell to 0.10x
 *       plain sqlite-jdbc on one thread, against 0.87–0.94x parked (docs/design.md). Only the head,
 *       in the last {@link #HEAD_AWAKE_NANOS} before the gate must come to it, yields instead of
 *       sleeping: then the thread a hand-off would wake is itself.</li>
 * </ul>
 *
 * <p>A holder is a logical connection; the same thread asking through a second logical
 * connection would wait for itself forever, so that fails at once. Internal to safesqlite.
 *
 * <p>Each request is a {@link Ticket}; every transition is a compare-and-set on its state, so a
 * grant, a cancel and a combine never both succeed:
 * <pre>
 *   (new) ──gate free, nobody queued──▶ GRANTED ──release()──▶ the gate goes to the next WAITING ticket
 *     │                                    ▲
 *     └─queued (FIFO)─▶ WAITING ──hand-off─┘   (grantedAt is stamped at the hand-off)
 *                          ├──the holder runs its task──▶ RUNNING ──▶ DONE (result or failure handed back)
 *                          └──time-out or interrupt──▶ CANCELLED (left the queue)
 * </pre>
 * Waits and holds are measured here and nowhere else: a wait ends at the grant (or when the task
 * starts), an acquired ticket's hold at {@link #release}, a task's hold is its own run.
 */
public final class WriterGate {

    private static final Logger LOG = LoggerFactory.getLogger(WriterGate.class);

    /**
     * A ticket that has been the head of the queue this long is handed the gate, and nobody may barge
     * in front of it. Counted from when it became the head, not from its arrival: behind a queue of
     * seven every arrival has waited that long, and starting the count at arrival turned every
     * release into a hand-off (docs/design.md, "Bounded fairness"). The running thread keeps the
     * writer for about this long while others queue, so the queue's tail waits about seven times it:
     * 1 ms (Go's number) put the p99 of 8 threads of transactions above that of one connection behind
     * a fair lock; 0.6 ms, with the head awake before it starves ({@link #HEAD_AWAKE_NANOS}), put it
     * a third lower, below the lock's, for 3–4% of the throughput (docs/design.md, "0.6 ms at the
     * head, awake").
     */
    static final long STARVING_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("safesqlite.gate.starvingMicros", 600));
    /**
     * How long before it starves the head of the queue, a transaction's waiter, stops sleeping and
     * yields its core instead, looking at the gate after each turn, until this long after it starved.
     * Awake, it takes a free gate as soon as a release leaves it free, and a hand-off finds it running
     * instead of paying a wake-up while the writer idles; it does not spin before that, where it
     * would only take a core from the holder (docs/design.md, "0.6 ms at the head, awake").
     */
    static final long HEAD_AWAKE_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("safesqlite.gate.headAwakeMicros", 200));
    /** Parked waiters wake at least this often to check their deadline. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * At most this many queued tasks run per holding (and share a group), so the holder's own caller
     * is not kept waiting long; the asynchronous writer hands over batches of this size.
     */
    public static final int MAX_COMBINED = 64;
    /** Tasks per holding and per group: MAX_COMBINED, or more during a bulk load (PhaseTuning). */
    private volatile int maxCombined = MAX_COMBINED;
    /**
     * How long a waiter parks at most before looking again: whoever grants its turn or publishes its
     * outcome wakes it, so this is only a net under a missed wake (tests take it away to catch one).
     */
    private volatile long parkNetNanos = MAX_PARK_NANOS;

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CANCELLED = 2;
    private static final int RUNNING = 3;
    private static final int DONE = 4;
    /** A holding that ended: never the gate's again, even for the instant a stale hand-off installs it. */
    private static final int RELEASED = 5;

    /** Work to run on the writer while the gate is held; may run on another waiting thread's behalf. */
    @FunctionalInterface
    public interface Task<T> {
        /** Runs the work. */
        T run() throws SQLException;
    }

    /** One request for the gate; while granted it is the gate's ticket, released exactly once. */
    public static final class Ticket {
        private static final AtomicIntegerFieldUpdater<Ticket> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "state");

        final Thread thread;
        final Object holder;
        final Task<?> task;
        /** A single statement that may share a transaction with others (GroupCommit). */
        final boolean groupable;
        final long enteredAt;
        volatile int state;
        volatile long grantedAt;
        volatile Throwable takenAt;
        volatile boolean leakReported;
        /**
         * Unparked by a release and not yet back to parking: further releases need not wake it again
         * (an unpark is a system call on the releasing thread, paid per transaction otherwise).
         */
        volatile boolean woken;
        /** Set before this member of a group is published: the chain it passes on once woken itself. */
        WakeChain wakes;
        Object result;
        Throwable failure;

        Ticket(Thread thread, Object holder, Task<?> task, boolean groupable, long enteredAt) {
            this.thread = thread;
            this.holder = holder;
            this.task = task;
            this.groupable = groupable;
            this.enteredAt = enteredAt;
        }

        boolean move(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }

        /** Whether its caller's wait is over: its task ran, or the gate is its own now. */
        boolean settledOrGranted() {
            int s = state;
            return s == GRANTED || s == DONE;
        }

        /** What the task returned, once it ran and did not fail ({@link #runAll}). */
        public Object result() {
            return result;
        }

        /** How the task failed, or why it never ran; null when it succeeded ({@link #runAll}). */
        public Throwable failure() {
            return failure;
        }
    }

    private final String database;
    private final long leakThresholdNanos;
    private final Clock clock;
    private final SafeSqliteListener listener;
    private final ConcurrentLinkedQueue<Ticket> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Ticket> owner = new AtomicReference<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** How long groupable callers yield before they park ({@link YieldBudget}). */
    private final YieldBudget yields = new YieldBudget();
    /** Callers of groupable tasks between queueing and being back from their wait ({@link #companyComing}). */
    private final AtomicInteger groupableCallers = new AtomicInteger();
    /** When a ticket last left the queue: the head has been the head since then, or since it arrived. */
    private volatile long queueMovedAt;
    /** Holdings ended so far: anything committed in-process was committed before one of them ended. */
    private final java.util.concurrent.atomic.AtomicLong holdingsEnded = new java.util.concurrent.atomic.AtomicLong();
    /** Transaction control on the writer for group commits; null: groupable tasks run one by one. */
    private volatile GroupCommit.Transaction transaction;
    /** How long the last group's COMMIT took: the next group waits for company no longer ({@link CompanyWait}). */
    private volatile long lastCommitNanos;
    /** How many writes the last group committed together: the company the next group expects ({@link CompanyWait}). */
    private volatile int lastGroupSize;
    /** A turn a group gives the callers it waits for ({@link CompanyWait}); tests watch or steer it. */
    private volatile Runnable companyPause = Thread::yield;

    /**
     * @param clock    where waits, holds and time-outs are measured
     * @param listener hears every wait for and hold of the gate: they are measured here and nowhere else
     */
    WriterGate(String database, long leakThresholdMillis, Clock clock, SafeSqliteListener listener) {
        this.database = database;
        this.leakThresholdNanos = TimeUnit.MILLISECONDS.toNanos(leakThresholdMillis);
        this.clock = clock;
        this.listener = listener;
        this.queueMovedAt = clock.nanoTime();
    }

    /**
     * Waits for the gate in arrival order and holds it until {@link #release}.
     *
     * @param holder  the logical connection asking; the same holder must not ask twice
     * @param timeout how long to wait, in milliseconds
     * @throws SQLException on time-out (naming the current holder), interrupt (the flag is kept),
     *                      or when this thread already holds the gate through another holder
     */
    public Ticket acquire(Object holder, long timeout) throws SQLException {
        Ticket ticket = enter(holder, timeout, null, false);
        try {
            return granted(ticket);
        } catch (RuntimeException | Error e) {
            release(ticket); // between hand-off and use nothing may keep the gate
            throw e;
        }
    }

    /**
     * Runs {@code task} under the gate, in arrival order, and returns its result. The task may run
     * on the thread that holds the gate when its turn comes; its exception is rethrown here.
     *
     * @throws SQLException as {@link #acquire}, or the task's own failure
     */
    public <T> T run(Object holder, long timeout, Task<T> task) throws SQLException {
        return run(holder, timeout, false, task);
    }

    /**
     * As {@link #run(Object, long, Task)}; a {@code groupable} task (one statement that can run
     * inside a transaction) may share one COMMIT with groupable tasks queued behind it
     * ({@link GroupCommit}). Its outcome is returned only after the COMMIT that contains it.
     */
    @SuppressWarnings("unchecked")
    public <T> T run(Object holder, long timeout, boolean groupable, Task<T> task) throws SQLException {
        Ticket ticket = enter(holder, timeout, task, groupable);
        serve(ticket, List.of(), null);
        return (T) outcome(ticket);
    }

    /**
     * Runs {@code tasks}, each a groupable task (one that can run inside a transaction), as one
     * arrival at the gate: when this thread may take the gate at once it runs them all as one group
     * with whatever groupable tasks are queued; otherwise each is queued in order, and whoever holds
     * the gate claims them as it claims any task (this thread runs them itself once its first is
     * granted). Each ticket returned holds its own task's outcome; a task that waited past
     * {@code timeout} or was interrupted holds that failure and did not run.
     *
     * @throws SQLException when this thread already holds the gate (nothing ran)
     */
    public List<Ticket> runAll(Object holder, long timeout, List<? extends Task<?>> tasks) throws SQLException {
        return runAll(holder, timeout, tasks, null);
    }

    /**
     * As {@link #runAll(Object, long, List)}; whenever this thread forms a group of its tasks itself,
     * {@code more} (null: none) may hand it further groupable tasks to join that group, up to the
     * group's cap, until it returns null: work that queued behind the batch where only this thread
     * sees it (the asynchronous writer's own queue, while the batch waited for the gate). Their tickets
     * follow the others in the list returned, in the order {@code more} handed them over.
     */
    public List<Ticket> runAll(Object holder, long timeout, List<? extends Task<?>> tasks,
            java.util.function.Supplier<? extends Task<?>> more) throws SQLException {
        Thread me = Thread.currentThread();
        refuseNested(holder, me);
        long now = clock.nanoTime();
        List<Ticket> tickets = new ArrayList<>(tasks.size());
        for (Task<?> task : tasks) {
            tickets.add(new Ticket(me, holder, task, true, now));
        }
        if (tickets.isEmpty()) {
            return tickets;
        }
        List<Ticket> joined = new ArrayList<>();
        java.util.function.Supplier<Ticket> latecomers = more == null ? null : () -> {
            Task<?> task = more.get();
            if (task == null) {
                return null;
            }
            Ticket t = new Ticket(me, holder, task, true, clock.nanoTime());
            t.state = RUNNING; // claimed as it is made: it never waited in the queue
            joined.add(t);
            return t;
        };
        Ticket first = tickets.get(0);
        if (mayBarge(now) && owner.compareAndSet(null, first)) {
            first.state = GRANTED;
            serve(first, tickets.subList(1, tickets.size()), latecomers);
        } else {
            for (Ticket t : tickets) {
                queueUp(t);
            }
            grantNext();
            for (Ticket t : tickets) {
                try {
                    serve(awaitTurn(t, timeout), List.of(), latecomers);
                } catch (Throwable e) {
                    t.failure = e; // cancelled, not run; the tickets behind it wait (and time out) on their own
                }
            }
        }
        tickets.addAll(joined);
        return tickets;
    }

    /**
     * Finishes a ticket that {@link #enter} or {@link #awaitTurn} gave back, leaving its outcome on
     * it: a DONE one only does its share of waking its group; a GRANTED one runs its task, with
     * {@code rest} (tasks of the same arrival, never queued) and the groupable tasks queued behind
     * as company (and those {@code more} hands over, when not null), then the tasks queued after
     * them, and releases the gate.
     */
    private void serve(Ticket ticket, List<Ticket> rest, java.util.function.Supplier<Ticket> more) {
        if (ticket.state == DONE) {
            wakeOn(ticket);
            return;
        }
        try {
            granted(ticket);
            // Company is what is already queued, or on its way back (companyComing): a lone writer never waits for any.
            boolean grouping = ticket.groupable && transaction != null;
            Ticket companion = grouping && rest.isEmpty() ? claimGroupable(more) : null;
            if (rest.isEmpty() && companion == null && !(grouping && companyComing(0))) {
                ticket.result = timed(ticket.task);
            } else {
                List<Ticket> group = new ArrayList<>(1 + rest.size());
                group.add(ticket);
                group.addAll(rest);
                if (companion != null) {
                    group.add(companion);
                }
                if (grouping) {
                    claimGroupable(group, more);
                }
                try {
                    // Not more's latecomers while it runs: measured, a group that kept taking the writer
                    // thread's own queue grew while its callers waited (8 threads: 58–69k/s against 80–86k).
                    runTogether(group, true, null);
                } finally {
                    publish(group, 1); // only now: their COMMIT has returned
                }
            }
        } catch (Throwable e) {
            ticket.failure = e;
        } finally {
            try {
                combineQueuedTasks();
            } finally {
                release(ticket);
            }
        }
    }

    /** A task's outcome as its caller sees it: its result, or its failure rethrown. */
    private static Object outcome(Ticket ticket) throws SQLException {
        if (ticket.failure != null) {
            throw rethrow(ticket.failure);
        }
        return ticket.result;
    }

    /** Hands a task's outcome to its waiting caller. */
    private static void publish(Ticket ticket) {
        ticket.state = DONE;
        LockSupport.unpark(ticket.thread);
    }

    /**
     * Hands the outcomes of {@code members} from index {@code from} on to their callers, waking only
     * the first: each woken caller wakes the next ({@link WakeChain}), so a group costs the holder one
     * system call instead of one per member. The holder's time is the writer's, which every other
     * caller waits for (measured, 8 threads of batched units: 38–40k/s waking each member in turn,
     * 46–54k/s when woken callers wake the rest; the gate busy 48% of the time against 70%).
     */
    private static void publish(List<Ticket> members, int from) {
        Thread me = Thread.currentThread();
        List<Ticket> others = new ArrayList<>(members.size() - from);
        List<Thread> threads = new ArrayList<>(members.size() - from);
        for (Ticket t : members.subList(from, members.size())) {
            if (t.thread == me) {
                t.state = DONE; // a batch's own ticket (runAll): its caller is here, not a link the others wait on
            } else {
                others.add(t);
                threads.add(t.thread);
            }
        }
        if (others.size() == 1) {
            publish(others.get(0));
            return;
        }
        WakeChain chain = new WakeChain(threads);
        // Every link is written before any state: a member that sees DONE sees the chain it passes on.
        for (Ticket t : others) {
            t.wakes = chain;
        }
        for (Ticket t : others) {
            t.state = DONE;
        }
        chain.wakeNext();
    }

    /** A woken group member's share of waking its group ({@link #publish(List, int)}). */
    private static void wakeOn(Ticket ticket) {
        if (ticket.wakes != null) {
            ticket.wakes.wakeNext();
        }
    }

    /**
     * Gives the gate the transaction control group commits need; without it (the gate alone, in
     * tests) groupable tasks run one by one.
     */
    void groupWith(GroupCommit.Transaction tx) {
        this.transaction = tx;
    }

    /**
     * A task's failure as its caller meets it: an SQLException is returned for the caller to throw;
     * unchecked failures are thrown as they are; anything else comes back wrapped.
     */
    private static SQLException rethrow(Throwable failure) {
        if (failure instanceof SQLException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new SQLException(failure);
    }

    /** Runs one task; a task's hold of the gate is its own run, whoever's thread it runs on. */
    private <T> T timed(Task<T> task) throws SQLException {
        long start = clock.nanoTime();
        try {
            return task.run();
        } finally {
            listener.gateHeld(database, clock.nanoTime() - start);
        }
    }

    /**
     * Runs the tasks waiting at the head of the queue, on this thread, while it holds the gate:
     * groupable ones together ({@link #runTogether}), others one by one; each caller is woken with
     * its own outcome.
     */
    private void combineQueuedTasks() {
        int ran = 0;
        while (ran < maxCombined) {
            Ticket next = claim(t -> true);
            if (next == null) {
                return;
            }
            List<Ticket> group = List.of(next);
            boolean open = false;
            if (next.groupable && transaction != null) {
                group = new ArrayList<>(group);
                claimGroupable(group, null);
                open = companyComing(1); // its own caller, parked, is one of them
            }
            try {
                runTogether(group, open, null);
            } finally {
                publish(group, 0);
            }
            ran += group.size();
        }
    }

    /**
     * Runs claimed tasks: one alone, unless {@code open}; several, or one that company is expected
     * to join, as one transaction ({@link GroupCommit}), each member left holding its own outcome.
     * Nobody is told here.
     */
    private void runTogether(List<Ticket> members, boolean open, java.util.function.Supplier<Ticket> more) {
        if (transaction == null || (members.size() == 1 && !open)) {
            for (Ticket m : members) {
                GroupCommit.runAlone(m, this::timed);
            }
            return;
        }
        try {
            // Tasks that queue while the group runs join it, up to maxCombined: company that came, and
            // company on its way back, given a few turns of the CPU before the COMMIT (CompanyWait).
            CompanyWait company = new CompanyWait(companyPause, clock, lastCommitNanos, lastGroupSize);
            boolean together = GroupCommit.run(transaction, members, this::timed,
                    () -> members.size() < maxCombined
                            ? company.next(() -> claimGroupable(more), this::companyInGate, members.size()) : null);
            if (together && company.commitAt() != 0) {
                lastCommitNanos = clock.nanoTime() - company.commitAt();
                lastGroupSize = members.size();
            }
            listener.writesGrouped(database, together ? members.size() : 1);
        } catch (Throwable e) {
            for (Ticket m : members) {
                if (m.failure == null) {
                    m.result = null;
                    m.failure = e; // a bug must not leave a claimed caller waiting forever
                }
            }
        }
    }

    /** Claims the task waiting at the head of the queue if {@code wanted}; null when there is none to claim. */
    private Ticket claim(java.util.function.Predicate<Ticket> wanted) {
        while (true) {
            Ticket next = queue.peek();
            if (next == null || next.task == null || !wanted.test(next)) {
                return null;
            }
            if (!next.move(WAITING, RUNNING)) {
                queue.remove(next); // it gave up waiting
                continue;
            }
            long now = clock.nanoTime();
            leaveQueue(next, now);
            listener.gateWaited(database, now - next.enteredAt);
            return next;
        }
    }

    /**
     * How many queued tasks a holder runs, and a group holds, at most: more means fewer COMMITs for a
     * burst of writes, and a longer wait for the holder's own caller.
     */
    void maxCombined(int tasks) {
        maxCombined = tasks;
    }

    /** For tests: what a group does for one turn while it waits for company, instead of yielding. */
    void pauseForCompany(Runnable pause) {
        companyPause = pause;
    }

    /** For tests: the net under a missed wake ({@link #parkNetNanos}). */
    void parkNetNanos(long nanos) {
        parkNetNanos = nanos;
    }

    /**
     * Whether callers of groupable tasks other than {@code self} of them are in the gate now: queued,
     * or told their outcome and not yet back from it. A writer that finds none queued still opens a
     * group then, so that they can join it if they queue again before its COMMIT; the group commits
     * as soon as none is queued (after a few turns for them: {@link CompanyWait}), and a writer with
     * nobody else in the gate runs alone, exactly as before. Without this, the holder of a busy gate
     * ran its own caller's next write alone (a COMMIT of its own) while the callers it had just woken
     * were on their way back: 8 threads of autocommit inserts ran 1.08x faster with this
     * (docs/design.md, measured reasons).
     */
    private boolean companyComing(int self) {
        return groupableCallers.get() > self;
    }

    /**
     * Callers of groupable tasks in the gate, for {@link CompanyWait}; none while a ticket that
     * cannot join the group (a transaction's, a script's) heads the queue: it is not kept waiting
     * for those who can.
     */
    private int companyInGate() {
        Ticket head = queue.peek();
        return head != null && !head.groupable ? 0 : groupableCallers.get();
    }

    /** Adds the groupable tasks waiting at the head of the queue to {@code group}, up to maxCombined. */
    private void claimGroupable(List<Ticket> group, java.util.function.Supplier<Ticket> more) {
        while (group.size() < maxCombined) {
            Ticket next = claimGroupable(more);
            if (next == null) {
                return;
            }
            group.add(next);
        }
    }

    /** The groupable task at the head of the queue, else the next {@code more} hands over (when not null); null when neither has one. */
    private Ticket claimGroupable(java.util.function.Supplier<Ticket> more) {
        Ticket next = claim(t -> t.groupable);
        return next != null || more == null ? next : more.get();
    }

    /** Returns a ticket that is either GRANTED (the caller holds the gate) or DONE (a task run for it). */
    private Ticket enter(Object holder, long timeoutMillis, Task<?> task, boolean groupable) throws SQLException {
        Thread me = Thread.currentThread();
        refuseNested(holder, me);
        Ticket ticket = new Ticket(me, holder, task, groupable, clock.nanoTime());
        if (mayBarge(ticket.enteredAt) && owner.compareAndSet(null, ticket)) {
            ticket.state = GRANTED;
            return ticket;
        }
        queueUp(ticket);
        grantNext();
        return awaitTurn(ticket, timeoutMillis);
    }

    /** Fails when {@code me} already holds the gate, through {@code holder} or another holder: it would wait for itself. */
    private void refuseNested(Object holder, Thread me) throws SQLException {
        Ticket current = owner.get();
        if (current != null && current.state != GRANTED) {
            // A hand-off installs the head it peeked at first and grants it second. A slow one may
            // install a ticket that has since been served (run by a group, or held and RELEASED) and
            // whose caller is here again with its next write; it then finds it not WAITING and takes
            // it out. Until a ticket is GRANTED it is nobody's hold, so it cannot be this caller's.
            current = null;
        }
        if (current != null && current.holder == holder) {
            // A connection is shared by threads; its own statements run on the writer it already holds,
            // so a request from it is a routing bug, and waiting would never end.
            throw new SQLException("would deadlock: " + holder + " asks for the writer of " + database
                    + " that it already holds", "40001");
        }
        if (current != null && current.thread == me) {
            throw new SQLException("would deadlock: this thread already holds the writer of " + database
                    + " through another connection (" + current.holder + ") and now asks for it through "
                    + holder + ". Finish or roll back the first connection's transaction before writing "
                    + "through a second one, or use the same connection.", "40001");
        }
    }

    /** Puts {@code ticket} at the back of the queue; its caller waits for it with {@link #awaitTurn}. */
    private void queueUp(Ticket ticket) {
        queue.add(ticket);
        waiting.incrementAndGet();
        if (ticket.groupable) {
            groupableCallers.incrementAndGet();
        }
    }

    /** Waits for a queued ticket to be GRANTED or DONE; it counts as queued until this returns. */
    private Ticket awaitTurn(Ticket ticket, long timeoutMillis) throws SQLException {
        try {
            return await(ticket, timeoutMillis);
        } catch (RuntimeException | Error e) {
            // Whatever cut the wait short (an OutOfMemoryError, a bug), the gate must not stay with a
            // ticket nobody will use: leave the queue, or give back what was handed over meanwhile.
            if (!cancel(ticket) && ticket.state == GRANTED) {
                release(ticket);
            }
            throw e;
        } finally {
            waiting.decrementAndGet();
            if (ticket.groupable) {
                groupableCallers.decrementAndGet();
            }
        }
    }

    private Ticket await(Ticket ticket, long timeoutMillis) throws SQLException {
        long start = ticket.enteredAt;
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        boolean yielded = false;
        for (int s = ticket.state; s != GRANTED && s != DONE; s = ticket.state) {
            ticket.woken = false; // before looking at the gate: a release after the look wakes it again
            if (Thread.interrupted()) {
                interrupted = true; // remembered: a running task cannot be stopped, parking must not spin
            }
            if (s == WAITING && interrupted) {
                if (cancel(ticket)) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the writer of " + database
                            + "; nothing was written and the interrupt flag is still set", "57014");
                }
                continue; // granted or started at the same moment: see below
            }
            long now = clock.nanoTime();
            if (s == WAITING && now - deadline >= 0) {
                if (cancel(ticket)) {
                    throw timeout(now - start);
                }
                continue;
            }
            if (s == WAITING && ticket.task == null && takeFreeGate(ticket, now)) {
                break;
            }
            if (ticket.groupable && !yielded) {
                // A groupable write waits for a group that runs now, or will soon: yield before parking.
                yielded = true;
                yields.yieldUntil(ticket::settledOrGranted);
                continue;
            }
            if (s == WAITING && ticket.task == null && waitedAsHead(ticket, now, deadline)) {
                continue;
            }
            LockSupport.parkNanos(this, s == RUNNING ? parkNetNanos : Math.min(deadline - now, parkNetNanos));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (ticket.state == GRANTED) {
                release(ticket); // the caller is leaving: give back what arrived with the interrupt
                throw new SQLException("interrupted while waiting for the writer of " + database
                        + "; nothing was written and the interrupt flag is still set", "57014");
            }
            // DONE: the statement ran before the interrupt could stop it; report its real outcome.
        }
        return ticket;
    }

    /**
     * A transaction's waiter at the head of the queue sleeps until {@link #HEAD_AWAKE_NANOS} before
     * it starves, then yields its core until as long after, so that it is running when the gate comes
     * to it. False when {@code ticket} is not the head, or the time to be awake has passed: it then
     * parks as any waiter, and the release that hands it the gate wakes it.
     */
    private boolean waitedAsHead(Ticket ticket, long now, long deadline) {
        if (HEAD_AWAKE_NANOS == 0 || queue.peek() != ticket) {
            return false;
        }
        long awakeFrom = headSince(ticket) + STARVING_NANOS - HEAD_AWAKE_NANOS;
        if (awakeFrom - now > 0) {
            LockSupport.parkNanos(this, Math.min(deadline - now, awakeFrom - now));
            return true;
        }
        if (now - awakeFrom < 2 * HEAD_AWAKE_NANOS) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /** The caller holds the gate now: its wait ends here, its hold starts. */
    private Ticket granted(Ticket ticket) {
        if (ticket.grantedAt == 0) {
            ticket.grantedAt = clock.nanoTime(); // taken at once; a hand-off stamped it when it happened
        }
        listener.gateWaited(database, ticket.grantedAt - ticket.enteredAt);
        if (leakThresholdNanos > 0) {
            ticket.takenAt = new Throwable("the writer gate of " + database + " was taken here by thread '"
                    + ticket.thread.getName() + "'");
        }
        return ticket;
    }

    /**
     * Gives the gate to the next waiter.
     *
     * @throws IllegalStateException when {@code ticket} does not hold the gate (a double release)
     */
    public void release(Ticket ticket) {
        long held = clock.nanoTime() - ticket.grantedAt;
        if (owner.get() != ticket || !ticket.move(GRANTED, RELEASED)) {
            throw new IllegalStateException("writer gate of " + database + " released by a ticket that does not hold it");
        }
        // Counted before the gate is free, so that whoever takes it next already sees the count.
        holdingsEnded.incrementAndGet();
        owner.set(null);
        grantNext();
        if (ticket.task == null) {
            listener.gateHeld(database, held); // a task's hold was timed around its run
        }
    }

    /**
     * After a release (or a waiter leaving): hands the free gate to the head of the queue when it is
     * a task or starving, else wakes the head to take it, in competition with newcomers.
     */
    private void grantNext() {
        while (true) {
            Ticket next = queue.peek();
            if (next == null) {
                return;
            }
            long now = clock.nanoTime();
            if (next.task == null && !starving(next, now)) {
                if (!next.woken) {
                    next.woken = true;
                    LockSupport.unpark(next.thread);
                }
                return;
            }
            if (!owner.compareAndSet(null, next)) {
                return;
            }
            leaveQueue(next, now);
            // Stamped at the hand-off: the gate is held from now, even if its new holder never wakes.
            next.grantedAt = now;
            if (next.move(WAITING, GRANTED)) {
                LockSupport.unpark(next.thread);
                return;
            }
            owner.set(null); // it gave up waiting; try the one behind it
        }
    }

    private boolean cancel(Ticket ticket) {
        if (ticket.move(WAITING, CANCELLED)) {
            leaveQueue(ticket, clock.nanoTime());
            if (owner.get() == null) {
                grantNext(); // it may have been the head woken to take the free gate: the next one must be
            }
            return true;
        }
        return false;
    }

    /**
     * A newcomer may take a free gate in front of the queue unless the queue's head is a task or has
     * been the head for {@link #STARVING_NANOS} or more (bounded fairness; docs/design.md, "Release").
     */
    boolean mayBarge(long now) {
        Ticket head = queue.peek();
        return head == null || (head.task == null && !starving(head, now));
    }

    /** Takes {@code ticket} out of the queue: whoever is the head now has been the head since {@code now}. */
    private void leaveQueue(Ticket ticket, long now) {
        queue.remove(ticket);
        queueMovedAt = now;
    }

    /** Whether {@code head} has been the head of the queue for {@link #STARVING_NANOS} or more. */
    private boolean starving(Ticket head, long now) {
        return now - headSince(head) >= STARVING_NANOS;
    }

    /** Since when {@code head}, the head of the queue, has been the head: its arrival, or the last ticket leaving the queue. */
    private long headSince(Ticket head) {
        return Math.max(head.enteredAt, queueMovedAt);
    }

    /** The head of the queue, woken by a release, takes the gate if it is still free. */
    private boolean takeFreeGate(Ticket ticket, long now) {
        if (queue.peek() != ticket || owner.get() != null || !owner.compareAndSet(null, ticket)) {
            return false;
        }
        if (!ticket.move(WAITING, GRANTED)) {
            owner.set(null); // cannot happen: only this thread moves its own waiting ticket
            grantNext();
            return false;
        }
        leaveQueue(ticket, now);
        ticket.grantedAt = now;
        return true;
    }

    /** The failure of a wait for the writer that gave up after {@code waitedNanos}: who holds it, how many wait. */
    private SQLException timeout(long waitedNanos) {
        Ticket holder = owner.get();
        String who = holder == null ? "nobody holds it now (it was just released)"
                : "it is held by thread '" + holder.thread.getName() + "' (" + holder.holder + ") for "
                + TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - holder.grantedAt) + " ms";
        return new SQLTimeoutException("waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for the writer of " + database + " and gave up; " + who + ", " + waiting.get()
                + " writer(s) waiting. Keep write transactions short, close connections that hold one, or raise "
                + "gate_timeout (and call_timeout).", "HYT00");
    }

    /**
     * How many holdings of the gate have ended. Every in-process commit happens inside a holding, so
     * a holder that finds the count unchanged since some moment knows nothing in this process
     * committed since then (docs/design.md, "Transactions that mostly read").
     */
    long holdingsEnded() {
        return holdingsEnded.get();
    }

    /** Whether {@code thread} holds the gate now (a transaction of its, or a task it runs). */
    public boolean heldBy(Thread thread) {
        Ticket t = owner.get();
        return t != null && t.state == GRANTED && t.thread == thread;
    }

    /** The name of the thread holding the gate now, or null. */
    public String holderThread() {
        Ticket t = owner.get();
        return t == null ? null : t.thread.getName();
    }

    /** How long the current holder has held the gate, in milliseconds (0 when free). */
    public long heldMillis() {
        Ticket t = owner.get();
        return t == null ? 0 : TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - t.grantedAt);
    }

    /** Number of writers waiting for the gate now. */
    public int queued() {
        return waiting.get();
    }

    /** Logs a warning, once per holding, when the gate has been held longer than the leak threshold. */
    void checkForLeak() {
        Ticket t = owner.get();
        if (t == null || leakThresholdNanos <= 0 || t.leakReported) {
            return;
        }
        long held = clock.nanoTime() - t.grantedAt;
        if (held > leakThresholdNanos && t.takenAt != null) {
            t.leakReported = true;
            LOG.warn("writer gate of {} held for {} ms by thread '{}' ({}), past the leak detection threshold; "
                            + "a transaction or statement is probably not being closed",
                    database, TimeUnit.NANOSECONDS.toMillis(held), t.thread.getName(), t.holder, t.takenAt);
        }
    }
}
