/**
 * Process execution environments: {@link dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory} runs each
 * environment as its own JVM under the real AWS Lambda runtime interface client, with its own Lambda Runtime API and
 * Extensions API on loopback; stopped with SIGSTOP between invocations (so its timers do not fire), killed with
 * SIGKILL (so the operating system closes its sockets), and sent SIGTERM at shutdown only when an extension
 * registered, as Lambda does. No child process outlives the JVM that started it.
 */
package dev.dbproxy.lambda.platform.process;
