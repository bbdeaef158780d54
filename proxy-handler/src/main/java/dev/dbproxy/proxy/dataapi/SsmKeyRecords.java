package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.proxy.handler.InvalidProxySettingsException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads the key records from SSM Parameter Store with the AWS SDK. Apart from {@link DataApiKeySource} so that the
 * SDK's classes load only when a parameter is read: {@code proxy-handler-lambda.jar} leaves the SDK out.
 */
final class SsmKeyRecords {

    private SsmKeyRecords() {
    }

    /**
     * The decrypted value of the SecureString {@code name}, read with the client {@code ssm} supplies (an
     * {@link SsmClient}), or, when it is null, with one built for this one call on the JDK's URL connection client.
     */
    static String read(String name, Supplier<?> ssm) {
        try (SsmClient client = ssm == null ? SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build()
                : (SsmClient) ssm.get()) {
            return client.getParameter(request -> request.name(name).withDecryption(true)).parameter().value();
        } catch (SdkException e) {
            // The SDK's message names the parameter and the missing permission, never a credential.
            throw new InvalidProxySettingsException(DataApiKeySource.DATA_API_KEYS_PARAMETER
                    + ": cannot read parameter " + name + ": " + e.getMessage());
        }
    }
}
