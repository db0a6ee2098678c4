package dev.diag.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AccessFilterTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer s3cret|s3cret", "bearer s3cret|s3cret", "BEARER s3cret|s3cret", "bEaReR   s3cret  |s3cret",
            "Bearers3cret|''", "Basic s3cret|''", "Bearer|''", "Bearer |''", "s3cret|''"})
    void givenAuthorization_whenParsed_thenTheBearerCredentialsInAnySchemeCase(String header, String want) {
        String got = new String(AccessFilter.bearerToken(header), StandardCharsets.UTF_8);

        assertThat(got).as("bearerToken(%s)", header).isEqualTo(want);
    }

    @Test
    void givenNoAuthorization_whenParsed_thenNoCredentials() {
        assertThat(AccessFilter.bearerToken(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"localhost, true", "127.0.0.1, true", "::1, true", "evil.example, false", "10.0.0.1, false"})
    void givenLoopbackBind_whenHostChecked_thenLoopbackNamesOnly(String host, boolean want) {
        assertThat(AllowedHosts.loopbackOnly().allows(host)).as(host).isEqualTo(want);
    }

    @Test
    void givenAddressBind_whenHostChecked_thenThatAddressAndLoopbackPassButOtherNamesNot() throws Exception {
        AllowedHosts hosts = AllowedHosts.forBind(InetAddress.getByName("192.0.2.7"));

        assertThat(hosts.allows("192.0.2.7")).isTrue();
        assertThat(hosts.allows("localhost")).isTrue();
        assertThat(hosts.allows("192.0.2.8")).isFalse();
        assertThat(hosts.allows("evil.example")).isFalse();
    }

    @Test
    void givenWildcardBind_whenHostChecked_thenTheMachinesOwnNamePasses() throws Exception {
        AllowedHosts hosts = AllowedHosts.forBind(InetAddress.getByName("0.0.0.0"));

        assertThat(hosts.allows(InetAddress.getLocalHost().getHostName())).isTrue();
        assertThat(hosts.allows("evil.example")).isFalse();
    }
}
