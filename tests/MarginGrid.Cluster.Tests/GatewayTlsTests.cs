using MarginGrid.Abstractions.Accounts;
using MarginGrid.Client;
using MarginGrid.ClusterTls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The gateway of a durable silo is no open door: an Orleans client reaches a grain only with a certificate
/// from the cluster's CA. Without TLS, with TLS but no certificate, or with a certificate from another CA
/// (while itself trusting the cluster's CA, so that only the silo's check can stop it), the call fails.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayTlsTests(ITestOutputHelper output)
{
    /// <summary>
    /// A liveness bound, not a timing assertion: a refused client retries until it is cancelled, and an accepted one
    /// connects and answers in well under a second.
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Only_a_client_with_the_clusters_certificate_can_call_a_grain()
    {
        await using var cluster = await DurableCluster.Start(silos: 1);
        await cluster.Api.Ok(HttpMethod.Post, "/v1/accounts/tls-1/deposits", new { transferId = "tls-d1", asset = "USDT", amount = "25" });
        var foreign = ClusterCertificateFiles.Create(cluster.Scratch, "stranger");

        // Built by hand: the product's own client refuses to present a certificate its CA setting does not vouch for.
        using var stranger = Pem(foreign);

        // The refused ones run side by side: each retries until its bound runs out, one after another they took 90 s.
        var attempts = await Task.WhenAll(
            Attempt(() => Connection(null)),
            Attempt(() => TlsClient(cluster, presented: null)),
            Attempt(() => TlsClient(cluster, stranger)),
            Attempt(() => Connection(new ClusterTlsSettings
            {
                CertificatePath = cluster.Certificates.CertificatePath,
                KeyPath = cluster.Certificates.KeyPath,
                CaPath = cluster.Certificates.CaPath,
            })));
        var (plain, noCertificate, otherCa, member) = (attempts[0], attempts[1], attempts[2], attempts[3]);

        foreach (var (name, attempt) in new[] { ("no TLS", plain), ("TLS, no certificate", noCertificate), ("another CA", otherCa), ("the cluster's certificate", member) })
        {
            output.WriteLine($"{name}: {(attempt.Error is null ? $"read balance {attempt.Balance}" : $"refused: {attempt.Error.GetType().Name}: {attempt.Error.Message.Split('\n')[0]}")}");
        }

        Assert.True(plain.Error is not null, $"a client without TLS read the account: {plain.Balance}");
        Assert.True(noCertificate.Error is not null, $"a TLS client without a certificate read the account: {noCertificate.Balance}");
        Assert.True(otherCa.Error is not null, $"a client with another CA's certificate read the account: {otherCa.Balance}");
        Assert.True(member.Error is null, $"the cluster's own certificate was refused: {member.Error}\n{cluster.Logs()}");
        Assert.Equal(25m, member.Balance);

        async Task<(IClusterClient, Func<Task>)> Connection(ClusterTlsSettings? tls)
        {
            var connection = await GridConnection.ConnectDurable(cluster.Redis.ConnectionString, DurableCluster.ClusterId, tls: tls, cancellationToken: Cancel());
            return (connection.Client, async () => await connection.DisposeAsync());
        }
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Bound).Token;

    /// <summary>Connects, reads the account's wallet balance, disconnects; the error instead when either step fails.</summary>
    private static async Task<(decimal? Balance, Exception? Error)> Attempt(Func<Task<(IClusterClient Client, Func<Task> Close)>> connect)
    {
        try
        {
            var (client, close) = await connect();
            try
            {
                var margin = await client.GetGrain<IAccountGrain>("tls-1").GetMargin().WaitAsync(Bound);
                return (margin.Scopes.Single().WalletBalance, null);
            }
            finally
            {
                await close();
            }
        }
        catch (Exception error)
        {
            return (null, error);
        }
    }

    private static X509Certificate2 Pem(ClusterCertificateFiles files)
    {
        using var pem = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// An Orleans client speaking TLS and trusting the cluster's CA (so that it accepts the silo), presenting
    /// <paramref name="presented"/> or no certificate at all: only the silo's own check can turn it away.
    /// </summary>
    private static async Task<(IClusterClient, Func<Task>)> TlsClient(DurableCluster cluster, X509Certificate2? presented)
    {
        var trusted = ClusterCertificates.Load(new ClusterTlsSettings
        {
            CertificatePath = cluster.Certificates.CertificatePath,
            KeyPath = cluster.Certificates.KeyPath,
            CaPath = cluster.Certificates.CaPath,
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (DurableCluster.ClusterId, "margingrid"))
            .UseRedisClustering(cluster.Redis.ConnectionString)
            .UseTls(o =>
            {
                o.LocalCertificate = presented;
                o.ClientCertificateMode = presented is null ? RemoteCertificateMode.AllowCertificate : RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = (certificate, _, _) => trusted.IsIssuedByCluster(certificate);
            }));
        var host = builder.Build();
        try
        {
            await host.StartAsync(Cancel());
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return (host.Services.GetRequiredService<IClusterClient>(), async () =>
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        });
    }
}
