using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/liquidations</c>: records from every coordinator partition, merged oldest first.</summary>
public static class LiquidationEndpoints
{
    public static IEndpointRouteBuilder MapLiquidationEndpoints(this IEndpointRouteBuilder app)
    {
        var liquidations = app.MapGroup("/v1/liquidations").WithTags("Liquidations");
        liquidations.MapGet("/", List).RequireAuthorization()
            .Read<IReadOnlyList<LiquidationRecord>>("ListLiquidations", "Liquidations oldest first, by symbol or account, a page at a time",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        liquidations.MapGet("/summary", Summary).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<LiquidationSummary>("GetLiquidationSummary", "Counts and amounts of every liquidation so far", StatusCodes.Status403Forbidden);
        liquidations.MapGet("/{liquidationId}", Get).RequireAuthorization()
            .Read<LiquidationRecord>("GetLiquidation", "One liquidation with its steps", StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains, string? symbol, string? accountId, string? after, string? limit)
    {
        if (!QueryNumber.TryRead(limit, 1, 1000, out var take))
        {
            return Problems.BadRequest("invalid_paging", "'limit' is 1 to 1000.");
        }

        var own = AccountAccess.OwnAccount(http.User);
        if (own is not null && accountId is not null && accountId != own)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", "This key may only list its own account's liquidations.");
        }

        var partitions = await Task.WhenAll(Enumerable.Range(0, LiquidationPartitions.Count)
            .Select(p => grains.GetGrain<ILiquidationCoordinatorGrain>(p).List(symbol, own ?? accountId, 10_000)));
        var records = partitions.SelectMany(p => p).OrderBy(r => r.StartedAt).ThenBy(r => r.LiquidationId, StringComparer.Ordinal).ToList();
        if (after is not null)
        {
            var index = records.FindIndex(r => r.LiquidationId == after);
            records = index < 0 ? [] : records[(index + 1)..];
        }

        return Results.Json(records.Take((int)(take ?? 100)), GridJson.Options);
    }

    private static async Task<IResult> Summary(IGrainFactory grains) =>
        Results.Json(await grains.GetGrain<ILiquidationAuditGrain>("all").Summary(), GridJson.Options);

    private static async Task<IResult> Get(string liquidationId, HttpContext http, IGrainFactory grains)
    {
        if (LiquidationPartitions.OfLiquidation(liquidationId) is not { } partition)
        {
            return Problems.NotFound("unknown_liquidation", $"There is no liquidation {liquidationId}.");
        }

        var record = await grains.GetGrain<ILiquidationCoordinatorGrain>(partition).Get(liquidationId);
        if (record is null || !AccountAccess.CanRead(http.User, record.Breach.AccountId))
        {
            return Problems.NotFound("unknown_liquidation", $"There is no liquidation {liquidationId}.");
        }

        return Results.Json(record, GridJson.Options);
    }
}
