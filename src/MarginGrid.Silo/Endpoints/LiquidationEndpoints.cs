using System.Globalization;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary>
/// <c>/v1/liquidations</c>: every finished liquidation from the durable archive, a page at a time (newest first
/// by default, opaque cursor); one liquidation by id, running or finished; the audit summary.
/// </summary>
public static class LiquidationEndpoints
{
    /// <summary>ISO-8601 with seconds, optional fractions, and an explicit offset ('Z' or ±hh:mm): a time without one would be read in the server's zone.</summary>
    private static readonly string[] TimeFormats =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    public static IEndpointRouteBuilder MapLiquidationEndpoints(this IEndpointRouteBuilder app)
    {
        var liquidations = app.MapGroup("/v1/liquidations").WithTags("Liquidations");
        liquidations.MapGet("/", List).RequireAuthorization()
            .Read<LiquidationList>("ListLiquidations",
                "Finished liquidations, newest first (or oldest first), by account, symbol and start time, a page at a time",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        liquidations.MapGet("/summary", Summary).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<LiquidationSummary>("GetLiquidationSummary", "Counts and amounts of every liquidation so far", StatusCodes.Status403Forbidden);
        liquidations.MapGet("/{liquidationId}", Get).RequireAuthorization()
            .Read<LiquidationRecord>("GetLiquidation", "One liquidation with its steps, running or finished", StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> List(
        HttpContext http, IGrainFactory grains, string? symbol, string? accountId, string? from, string? to, string? order, string? cursor, string? limit)
    {
        if (http.Request.Query.ContainsKey("after"))
        {
            return Problems.BadRequest("invalid_paging", "'after' was replaced by 'cursor': pass the 'nextCursor' of the previous page.");
        }

        if (!QueryNumber.TryRead(limit, 1, LiquidationQuery.MaxLimit, out var take))
        {
            return Problems.BadRequest("invalid_paging", $"'limit' is 1 to {LiquidationQuery.MaxLimit}.");
        }

        if (order is not (null or "newest" or "oldest"))
        {
            return Problems.BadRequest("invalid_paging", "'order' is 'newest' (the default) or 'oldest'.");
        }

        if (accountId is not null && Ids.CheckAccount(accountId) is { } badAccount)
        {
            return badAccount;
        }

        if (symbol is not null && Ids.CheckSymbol(symbol) is { } badSymbol)
        {
            return badSymbol;
        }

        if (!TryReadTime(from, out var since) || !TryReadTime(to, out var until))
        {
            return Problems.BadRequest("invalid_time", "'from' and 'to' are ISO-8601 times with an offset, e.g. 2026-11-27T14:00:00Z.");
        }

        if (since is not null && until is not null && since > until)
        {
            return Problems.BadRequest("invalid_time", "'from' is after 'to'.");
        }

        var own = AccountAccess.OwnAccount(http.User);
        if (own is not null && accountId is not null && accountId != own)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", "This key may only list its own account's liquidations.");
        }

        var query = new LiquidationQuery(own ?? accountId, symbol, since, until, order == "oldest", null, (int)(take ?? 100));
        if (cursor is not null)
        {
            if (!LiquidationCursor.TryDecode(cursor, query, out var position))
            {
                return Problems.BadRequest("invalid_paging", "'cursor' is not a cursor this listing issued for these filters and this order.");
            }

            query = query with { After = position };
        }

        var page = await grains.GetGrain<ILiquidationHistoryGrain>(0).Page(query);
        var next = page.Next is { } after ? LiquidationCursor.Encode(query, after) : null;
        return Results.Json(new LiquidationList(page.Items, next), GridJson.Options);
    }

    private static async Task<IResult> Summary(IGrainFactory grains) =>
        Results.Json(await grains.GetGrain<ILiquidationHistoryGrain>(0).Summary(), GridJson.Options);

    private static async Task<IResult> Get(string liquidationId, HttpContext http, IGrainFactory grains)
    {
        if (LiquidationPartitions.OfLiquidation(liquidationId) is null || liquidationId.Length > Identifiers.MaxIdLength)
        {
            return Problems.NotFound("unknown_liquidation", $"There is no liquidation {liquidationId}.");
        }

        var record = await grains.GetGrain<ILiquidationHistoryGrain>(0).Get(liquidationId);
        if (record is null || !AccountAccess.CanRead(http.User, record.Breach.AccountId))
        {
            return Problems.NotFound("unknown_liquidation", $"There is no liquidation {liquidationId}.");
        }

        return Results.Json(record, GridJson.Options);
    }

    /// <summary>An ISO-8601 time with an explicit offset (or Z); absent is fine, anything else is refused.</summary>
    private static bool TryReadTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (text.Length > 40 || !DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed;
        return true;
    }
}
