using MarginGrid.Abstractions.Markets;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Api.Requests;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/markets</c>: definitions (admin), prices and funding (admin), and reads.</summary>
public static class MarketEndpoints
{
    public static IEndpointRouteBuilder MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        var markets = app.MapGroup("/v1/markets").WithTags("Markets");
        markets.MapPut("/{symbol}", Define).RequireAuthorization(GridRoles.AdminPolicy).WithMetadata(LargeBody.Instance)
            .Command<MarketRequest, MarketView>("DefineMarket", "Define a market, or change its definition (a new version)");
        markets.MapGet("/", List).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<IReadOnlyList<MarketView>>("ListMarkets", "Every defined market", StatusCodes.Status403Forbidden);
        markets.MapGet("/{symbol}", Get).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<MarketView>("GetMarket", "One market: definition, prices, open interest",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        markets.MapGet("/{symbol}/history", History).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<IReadOnlyList<MarketSpecVersion>>("GetMarketHistory", "Every version of the market's definition, oldest first",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        markets.MapPost("/{symbol}/mark-price", MarkPrice).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<PriceRequest, MarketView>("SetMarkPrice", "Publish a new mark price to every holder");
        markets.MapPost("/{symbol}/index-price", IndexPrice).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<IndexPriceRequest, MarketView>("SetIndexPrice", "Record the index price and impact prices (a funding premium sample)");
        markets.MapPost("/{symbol}/funding-settlements", Settle).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<FundingSettlementRequest, FundingResult>("SettleFunding", "Settle funding between longs and shorts at the current mark", idempotent: true);
        return app;
    }

    private static Task<IResult> Define(string symbol, HttpContext http, IGrainFactory grains) =>
        Commands.Run<MarketRequest, MarketView>(Ids.CheckSymbol(symbol), http, b => grains.GetGrain<IMarketGrain>(symbol).Define(b.ToSpec()));

    private static async Task<IResult> List(IGrainFactory grains)
    {
        var symbols = await grains.GetGrain<IMarketCatalogGrain>(0).List();
        var views = await Task.WhenAll(symbols.Select(s => grains.GetGrain<IMarketGrain>(s).Get()));
        return Results.Json(views.Where(v => v is not null), GridJson.Options);
    }

    private static async Task<IResult> Get(string symbol, IGrainFactory grains) =>
        Ids.CheckSymbol(symbol) ?? (await grains.GetGrain<IMarketGrain>(symbol).Get() is { } view
            ? Results.Json(view, GridJson.Options)
            : Problems.NotFound("unknown_market", $"There is no market {symbol}."));

    private static async Task<IResult> History(string symbol, IGrainFactory grains)
    {
        if (Ids.CheckSymbol(symbol) is { } bad)
        {
            return bad;
        }

        var history = await grains.GetGrain<IMarketGrain>(symbol).History();
        return history.Count == 0 ? Problems.NotFound("unknown_market", $"There is no market {symbol}.") : Results.Json(history, GridJson.Options);
    }

    private static Task<IResult> MarkPrice(string symbol, HttpContext http, IGrainFactory grains) =>
        Commands.Run<PriceRequest, MarketView>(Ids.CheckSymbol(symbol), http, b => grains.GetGrain<IMarketGrain>(symbol).SetMarkPrice(b.Price!.Value));

    private static Task<IResult> IndexPrice(string symbol, HttpContext http, IGrainFactory grains) =>
        Commands.Run<IndexPriceRequest, MarketView>(Ids.CheckSymbol(symbol), http,
            b => grains.GetGrain<IMarketGrain>(symbol).SetIndexPrice(b.Price!.Value, b.ImpactBid, b.ImpactAsk));

    private static Task<IResult> Settle(string symbol, HttpContext http, IGrainFactory grains) =>
        Commands.Run<FundingSettlementRequest, FundingResult>(Ids.CheckSymbol(symbol), http,
            b => grains.GetGrain<IMarketGrain>(symbol).Settle(b.SettlementId!, b.Rate));
}
