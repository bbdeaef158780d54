package dev.dbproxy.lambda.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vCPUs each capacity provider has handed to environments, against its {@code MaxVCpuCount}: the functions of
 * one capacity provider share its vCPUs, as they share its instances on AWS.
 */
final class CapacityProviders {

    private final Map<String, AtomicInteger> allocated = new ConcurrentHashMap<>();

    /** Takes that many vCPUs of the provider for one environment; false when it has not that many left. */
    boolean tryAllocate(String provider, int maxVCpuCount, int vCpus) {
        AtomicInteger used = allocated.computeIfAbsent(provider, name -> new AtomicInteger());
        while (true) {
            int current = used.get();
            if (current + vCpus > maxVCpuCount) {
                return false;
            }
            if (used.compareAndSet(current, current + vCpus)) {
                return true;
            }
        }
    }

    /** Gives back the vCPUs of an environment that is gone. */
    void release(String provider, int vCpus) {
        allocated.get(provider).addAndGet(-vCpus);
    }

    /** The vCPUs the provider's environments hold now. */
    int allocated(String provider) {
        AtomicInteger used = allocated.get(provider);
        return used == null ? 0 : used.get();
    }
}
