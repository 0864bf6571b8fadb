using Orleans.Connections.Security;

namespace MarginGrid.ClusterTls;

/// <summary>
/// Mutual TLS on the cluster's own ports: silo-to-silo and client-to-gateway connections are encrypted, both
/// ends present a certificate, and each end accepts the other only with a certificate from the cluster's CA.
/// </summary>
public static class ClusterTlsExtensions
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCertificates certificates)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(certificates);
        return silo.UseTls(certificates.Local, options => Require(options, certificates));
    }

    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterCertificates certificates)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(certificates);
        return client.UseTls(certificates.Local, options => Require(options, certificates));
    }

    private static void Require(TlsOptions options, ClusterCertificates certificates)
    {
        // Other silos and gateway clients alike must present a certificate (the gateway's default only allows one).
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;

        // The platform's verdict (an untrusted private root, an IP instead of a host name) is replaced by the CA check.
        options.RemoteCertificateValidation = (certificate, _, _) => certificates.IsIssuedByCluster(certificate);
    }
}
