using MarginGrid.Tests.Shared;
using MarginGrid.Grains.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>
/// The real silo host (<c>Program</c>: HTTP API, co-hosted Orleans silo, embedded default) running in this
/// process, with configured API keys. Tests share it and keep apart by their own account ids, symbols
/// and settlement assets.
/// </summary>
public sealed class GridApp : WebApplicationFactory<Program>
{
    // At least 32 characters: the silo refuses shorter keys at start-up.
    public const string AdminKey = "test-admin-key-0123456789abcdef0123";
    public const string ReaderKey = "test-reader-key-0123456789abcdef012";
    public const string OwnerKey = "test-owner-key-0123456789abcdef0123";
    public const string OwnerAccount = "owner-1";

    private readonly int _siloPort = FreePorts.Next();

    /// <summary>The silo's gateway, for tests that connect an Orleans client (free ports: other test runs may share the machine).</summary>
    public int GatewayPort { get; } = FreePorts.Next();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Orleans:SiloPort", _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:ApiKeys:0:Key", AdminKey);
        builder.UseSetting("Auth:ApiKeys:0:Role", "admin");
        builder.UseSetting("Auth:ApiKeys:1:Key", ReaderKey);
        builder.UseSetting("Auth:ApiKeys:1:Role", "reader");
        builder.UseSetting("Auth:ApiKeys:2:Key", OwnerKey);
        builder.UseSetting("Auth:ApiKeys:2:Role", "account");
        builder.UseSetting("Auth:ApiKeys:2:AccountId", OwnerAccount);
        builder.UseSetting($"{GridOptions.Section}:ExecutorSlippageBps", "0");

        // Snapshots every few events, so every API test (replays included) also runs on snapshot + tail activations.
        builder.UseSetting($"{GridOptions.Section}:SnapshotEvery", "4");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureServices(services => services.AddSingleton<IOutgoingGrainCallFilter>(Calls));
    }

    /// <summary>The coordinator's calls to accounts, recorded by an outgoing call filter.</summary>
    public CoordinatorCalls Calls { get; } = new();

    public Api Admin => new(CreateClient(), AdminKey);

    public Api Reader => new(CreateClient(), ReaderKey);

    public Api Owner => new(CreateClient(), OwnerKey);

    public Api Anonymous => new(CreateClient(), null);
}
