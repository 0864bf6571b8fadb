using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MarginGrid.ClusterTls;

/// <summary>
/// This process's certificate and the cluster's CA, loaded once at start-up with errors that name the
/// setting at fault; and the one rule for peers: a certificate is accepted only if it chains to that CA.
/// </summary>
public sealed class ClusterCertificates
{
    private readonly X509Certificate2Collection _authorities;

    private ClusterCertificates(X509Certificate2 local, X509Certificate2Collection authorities)
    {
        Local = local;
        _authorities = authorities;
    }

    /// <summary>Presented to peers: as a server on the silo and gateway ports, as a client on outgoing connections.</summary>
    public X509Certificate2 Local { get; }

    public static ClusterCertificates Load(ClusterTlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var certificatePath = Required(settings.CertificatePath, "CertificatePath");
        var caPath = Required(settings.CaPath, "CaPath");
        var local = LoadLocal(certificatePath, settings.KeyPath, settings.CertificatePassword);
        if (!local.HasPrivateKey)
        {
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CertificatePath ({certificatePath}) has no private key; give the key in the same file or in {ClusterTlsSettings.Section}:KeyPath.");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caPath);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CaPath ({caPath}) could not be read as PEM certificates: {error.Message}", error);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CaPath ({caPath}) holds no PEM certificate.");
        }

        var certificates = new ClusterCertificates(local, authorities);
        if (!certificates.IsIssuedByCluster(local))
        {
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CertificatePath ({certificatePath}) is not issued by the CA in {ClusterTlsSettings.Section}:CaPath ({caPath}), or has expired: peers would refuse it.");
        }

        return certificates;
    }

    /// <summary>
    /// True when the peer's certificate chains to one of the cluster's CA certificates and is valid now. Host
    /// names are not checked: silos are reached at pod IPs, so membership of the cluster is the CA's signature.
    /// </summary>
    public bool IsIssuedByCluster(X509Certificate2 peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.ExtraStore.AddRange(_authorities);

        // A private CA publishes no revocation lists: rotation (a new CA or leaf) is how a certificate is withdrawn.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }

    private static X509Certificate2 LoadLocal(string path, string? keyPath, string? password)
    {
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }

            // A PEM key is ephemeral; a PKCS#12 round trip gives SslStream a key it can use on every platform.
            using var pem = string.IsNullOrWhiteSpace(keyPath) ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromPemFile(path, keyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CertificatePath ({path}{(string.IsNullOrWhiteSpace(keyPath) ? "" : $", key {keyPath}")}) could not be loaded as a PFX or a PEM certificate with its key: {error.Message}", error);
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"Cluster TLS needs {ClusterTlsSettings.Section}:{name} (environment: Orleans__Tls__{name}).")
            : value;
}
