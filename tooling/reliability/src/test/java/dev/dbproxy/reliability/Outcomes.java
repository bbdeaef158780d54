package dev.dbproxy.reliability;

import dev.dbproxy.reliability.MixedLoad.Outcome;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The outcomes of a load run, with the questions a fault scenario asks of them. */
record Outcomes(List<Outcome> all) {

    Outcomes {
        all = List.copyOf(all);
    }

    /** The outcomes of one strategy. */
    Outcomes of(String strategy) {
        return new Outcomes(all.stream().filter(outcome -> outcome.strategy().equals(strategy)).toList());
    }

    long count(Predicate<Outcome> which) {
        return all.stream().filter(which).count();
    }

    /** Answers that are neither a success nor 429/503 with {@code Retry-After}, described for an assertion message. */
    List<String> unexpected() {
        return all.stream().filter(Outcome::unexpected).map(Outcome::describe).limit(20).toList();
    }

    /** Nanoseconds from {@code sinceNanos} to the end of the first 429/503 that ended after it. */
    OptionalLong firstRetryLaterAfter(long sinceNanos) {
        return all.stream().filter(Outcome::retryLater).filter(outcome -> outcome.endedNanos() >= sinceNanos)
                .mapToLong(outcome -> outcome.endedNanos() - sinceNanos).min();
    }

    /** Nanoseconds from {@code sinceNanos} to the end of the first success of a request sent after it. */
    OptionalLong firstSuccessSentAfter(long sinceNanos) {
        return all.stream().filter(Outcome::success).filter(outcome -> outcome.startedNanos() >= sinceNanos)
                .mapToLong(outcome -> outcome.endedNanos() - sinceNanos).min();
    }

    /** The outcomes of the requests sent at or after {@code sinceNanos}. */
    Outcomes sentAfter(long sinceNanos) {
        return new Outcomes(all.stream().filter(outcome -> outcome.startedNanos() >= sinceNanos).toList());
    }

    /**
     * Whether every strategy given did every operation given successfully at least {@code times} times, and none of
     * its last {@code times} requests got an unexpected answer: its functions have warm environments.
     */
    boolean warm(List<String> strategies, List<String> operations, int times) {
        for (String strategy : strategies) {
            Outcomes ofStrategy = of(strategy);
            for (String operation : operations) {
                if (ofStrategy.count(outcome -> outcome.success() && outcome.operation().equals(operation)) < times) {
                    return false;
                }
            }
            if (ofStrategy.all.size() < times || ofStrategy.last(times).count(Outcome::unexpected) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The outcomes of the last {@code n} requests sent. */
    Outcomes last(int n) {
        List<Outcome> sorted = all.stream().sorted((a, b) -> Long.compare(a.startedNanos(), b.startedNanos())).toList();
        return new Outcomes(sorted.subList(Math.max(0, sorted.size() - n), sorted.size()));
    }

    /** Counts by operation and status, such as {@code create 201=40, create 503=3}. */
    String histogram() {
        return all.stream().collect(Collectors.groupingBy(outcome -> outcome.operation() + " " + outcome.status(),
                java.util.TreeMap::new, Collectors.counting())).toString();
    }
}
