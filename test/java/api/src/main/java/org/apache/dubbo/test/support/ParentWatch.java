package org.apache.dubbo.test.support;

/**
 * Ends this JVM when the process that started it is gone, so a test run that was killed (even with
 * SIGKILL, when no cleanup hook can run) leaves no fixture JVM behind. The parent's PID comes from
 * the system property {@code fixture.parentPid}; without it nothing is watched.
 */
public final class ParentWatch {

    private static final long POLL_MS = 500;

    private ParentWatch() {
    }

    public static void start() {
        String value = System.getProperty("fixture.parentPid");
        if (value == null || value.isBlank()) {
            return;
        }
        long parent = Long.parseLong(value.trim());
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("fixture: parent process " + parent + " is gone, exiting");
            // halt, not exit: shutdown hooks could block on a registry that is gone too.
            Runtime.getRuntime().halt(0);
        }, "fixture-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
