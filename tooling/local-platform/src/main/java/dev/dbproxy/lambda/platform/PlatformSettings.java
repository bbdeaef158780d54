package dev.dbproxy.lambda.platform;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LocalLambdaPlatform} behaves. Immutable; start from {@link #builder()} or {@link #defaults()}.
 *
 * @param bindAddress             the address the Invoke API listens on; loopback, since nothing here is authenticated
 * @param port                    the Invoke API's port; 0 picks a free one (tests, parallel builds)
 * @param region                  the region in ARNs, {@code AWS_REGION} and the SDK's signing scope
 * @param accountId               the account id in ARNs
 * @param accountConcurrencyLimit the account's concurrent executions; reserved concurrency is carved out of it
 * @param idleTimeout             how long an environment may idle before it is reclaimed; Lambda's is not published
 *                                and is typically minutes
 * @param zombieLifetime          how long an abandoned environment keeps its sockets open before it is torn down;
 *                                models the database's TCP keepalive (MongoDB's default is 300 s)
 * @param reclaimCheckInterval    how often idle environments and expired zombies are looked for
 */
public record PlatformSettings(
        InetAddress bindAddress,
        int port,
        String region,
        String accountId,
        int accountConcurrencyLimit,
        Duration idleTimeout,
        Duration zombieLifetime,
        Duration reclaimCheckInterval) {

    /** Validates the settings. */
    public PlatformSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(zombieLifetime, "zombieLifetime");
        Objects.requireNonNull(reclaimCheckInterval, "reclaimCheckInterval");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (accountConcurrencyLimit < 1) {
            throw new IllegalArgumentException("accountConcurrencyLimit must be positive, was " + accountConcurrencyLimit);
        }
        if (idleTimeout.isNegative() || zombieLifetime.isNegative() || reclaimCheckInterval.isNegative() || reclaimCheckInterval.isZero()) {
            throw new IllegalArgumentException("idleTimeout and zombieLifetime must not be negative, reclaimCheckInterval must be positive");
        }
    }

    /** Loopback, a free port, us-east-1, account 123456789012, 1,000 concurrent executions, 10 min idle, 300 s zombies. */
    public static PlatformSettings defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder().bindAddress(bindAddress).port(port).region(region).accountId(accountId)
                .accountConcurrencyLimit(accountConcurrencyLimit).idleTimeout(idleTimeout).zombieLifetime(zombieLifetime)
                .reclaimCheckInterval(reclaimCheckInterval);
    }

    /** Builds {@link PlatformSettings}; not thread-safe. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private int accountConcurrencyLimit = 1_000;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration zombieLifetime = Duration.ofSeconds(300);
        private Duration reclaimCheckInterval = Duration.ofMillis(250);

        private Builder() {
        }

        /** The Invoke API's address, loopback by default. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The Invoke API's port, 0 (a free one) by default. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The region, us-east-1 by default. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The account id, 123456789012 by default. */
        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        /** The account's concurrency limit, 1,000 by default like a fresh AWS account. */
        public Builder accountConcurrencyLimit(int accountConcurrencyLimit) {
            this.accountConcurrencyLimit = accountConcurrencyLimit;
            return this;
        }

        /** How long an environment may idle before it is reclaimed, 10 min by default. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** How long abandoned environments keep their sockets, 300 s by default. */
        public Builder zombieLifetime(Duration zombieLifetime) {
            this.zombieLifetime = zombieLifetime;
            return this;
        }

        /** How often idle environments and expired zombies are looked for, 250 ms by default. */
        public Builder reclaimCheckInterval(Duration reclaimCheckInterval) {
            this.reclaimCheckInterval = reclaimCheckInterval;
            return this;
        }

        /** Builds the settings. */
        public PlatformSettings build() {
            return new PlatformSettings(bindAddress, port, region, accountId, accountConcurrencyLimit, idleTimeout,
                    zombieLifetime, reclaimCheckInterval);
        }
    }
}
