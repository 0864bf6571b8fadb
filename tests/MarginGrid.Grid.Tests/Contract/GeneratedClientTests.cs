using MarginGrid.Grid.Tests.Contract.Generated;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Contract;

/// <summary>
/// The client that NSwag generates from the committed OpenAPI document (see <see cref="OpenApiDocumentTests"/>)
/// works against the real silo host: an integrator needs nothing but the document.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class GeneratedClientTests(GridApp app)
{
    [Fact]
    public async Task A_generated_client_defines_a_market_deposits_fills_reads_margin_and_reads_a_refusal()
    {
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", GridApp.AdminKey);
        var client = new GridApiClient(http);

        await client.DefineMarketAsync("GENUSDT", new MarketRequest
        {
            Kind = "linear", SettleAsset = "GEN", ContractSize = "1", TickSize = "0.01", LotSize = "0.001",
            Brackets = [new BracketRequest { NotionalFloor = "0", MaxLeverage = 50, MaintenanceMarginRate = "0.005" }],
            FundingIntervalHours = 8, InterestRate = "0.0001", PremiumClamp = "0.0005", FundingCap = "0.003",
            LiquidationFeeRate = "0.0125", StalePriceSeconds = 600,
        });
        var market = await client.SetMarkPriceAsync("GENUSDT", new PriceRequest { Price = "30000" });
        Assert.Equal("30000", market.MarkPrice);

        var deposited = await client.DepositAsync("gen-1", new TransferRequest { TransferId = "d1", Asset = "GEN", Amount = "10000.5" });
        Assert.Equal("10000.5", deposited.Scopes.Single().WalletBalance);

        var position = await client.ApplyFillAsync("gen-1", new FillRequest
        {
            FillId = "f1", Symbol = "GENUSDT", Side = "buy", Quantity = "0.5", Price = "30000", Fee = "0",
        });
        Assert.Equal("0.5", position.Quantity);

        var margin = await client.GetMarginAsync("gen-1");
        var scope = margin.Scopes.Single();
        Assert.Equal("10000.5", scope.WalletBalance);
        Assert.Equal("75", scope.MaintenanceMargin);
        Assert.Equal("GENUSDT", margin.Positions.Single().Symbol);

        // More than the account may withdraw: a problem with its stable code, read through the generated types.
        var refusal = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() =>
            client.WithdrawAsync("gen-1", new TransferRequest { TransferId = "w1", Asset = "GEN", Amount = "10000" }));
        Assert.Equal(422, refusal.StatusCode);
        Assert.Equal("above_withdrawable", refusal.Result.Code);

        var unknown = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetMarginAsync("gen-nobody"));
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal("unknown_account", unknown.Result.Code);
    }
}
