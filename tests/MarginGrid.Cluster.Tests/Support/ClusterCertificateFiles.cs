using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// Throw-away certificates for one test cluster, as PEM files in its scratch folder: a CA and a leaf it
/// issued (server and client authentication), which silos and trusted clients share.
/// </summary>
public sealed class ClusterCertificateFiles
{
    private ClusterCertificateFiles(string caPath, string certificatePath, string keyPath)
    {
        CaPath = caPath;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The CA certificate (PEM): what peers must chain to.</summary>
    public string CaPath { get; }

    /// <summary>The leaf certificate (PEM) silos and trusted clients present.</summary>
    public string CertificatePath { get; }

    /// <summary>The leaf's private key (PEM, PKCS#8).</summary>
    public string KeyPath { get; }

    /// <summary>A new CA named <paramref name="name"/> and a leaf it signed, written under <paramref name="folder"/>/<paramref name="name"/>.</summary>
    public static ClusterCertificateFiles Create(string folder, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={name} silo", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(16));

        var files = new ClusterCertificateFiles(Path.Combine(directory, "ca.pem"), Path.Combine(directory, "silo.pem"), Path.Combine(directory, "silo.key"));
        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(files.CertificatePath, leaf.ExportCertificatePem());
        File.WriteAllText(files.KeyPath, leafKey.ExportPkcs8PrivateKeyPem());
        return files;
    }
}
