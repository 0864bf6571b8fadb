using Microsoft.Extensions.Configuration;

namespace MarginGrid.ClusterTls;

/// <summary>
/// The <c>Orleans:Tls</c> section, shared by silos and clients: this process's certificate (PFX, or PEM
/// certificate and key) and the cluster's CA that every peer's certificate must chain to.
/// </summary>
public sealed class ClusterTlsSettings
{
    public const string Section = "Orleans:Tls";

    /// <summary>This process's certificate: a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM certificate; unset when the key is in the certificate's own file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PFX file, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file with the cluster's CA certificate(s): a peer is accepted only with a certificate issued by one of them.</summary>
    public string? CaPath { get; set; }

    /// <summary>The explicit opt-out: a durable silo without TLS refuses to start unless this is true.</summary>
    public bool Disabled { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CaPath);

    public static ClusterTlsSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(Section).Get<ClusterTlsSettings>() ?? new ClusterTlsSettings();
    }
}
