/**
 * AWS SAM templates read into {@link dev.dbproxy.lambda.platform.FunctionDefinition}s and
 * {@link dev.dbproxy.lambda.platform.HttpApiRoute}s: {@link dev.dbproxy.lambda.platform.template.SamTemplate}
 * lists what is supported; anything else is a {@link dev.dbproxy.lambda.platform.template.TemplateException} that
 * names the construct, never silently ignored.
 */
package dev.dbproxy.lambda.platform.template;
