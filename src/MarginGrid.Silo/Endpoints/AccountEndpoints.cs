using MarginGrid.Abstractions.Accounts;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Api.Requests;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/accounts/{accountId}</c>: commands (admin) and reads (reader, or the account's own key).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v1/accounts/{accountId}").WithTags("Accounts");
        accounts.MapPost("/deposits", Deposit).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<TransferRequest, AccountMarginView>("Deposit", "Credit an asset to the account's wallet", idempotent: true);
        accounts.MapPost("/withdrawals", Withdraw).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<TransferRequest, AccountMarginView>("Withdraw", "Debit an asset if the account stays within its margin", idempotent: true);
        accounts.MapPut("/positions/{symbol}/settings", Settings).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<SettingsRequest, AccountMarginView>("ChangeSettings", "Set the margin mode and leverage of one market");
        accounts.MapPost("/fills", Fill).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<FillRequest, PositionView>("ApplyFill", "Apply a trade to the account's position", idempotent: true);
        accounts.MapPost("/order-checks", CheckOrder).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<OrderCheckRequest, OrderCheckView>("CheckOrder", "Would this order pass the initial-margin check now? Stores nothing");
        accounts.MapPost("/positions/{symbol}/isolated-margin", IsolatedMargin).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<IsolatedMarginRequest, PositionView>("ChangeIsolatedMargin", "Add margin to (or remove it from) an isolated position", idempotent: true);
        accounts.MapGet("/margin", Margin).RequireAuthorization()
            .Read<AccountMarginView>("GetMargin", "Live margin of every scope and position at the newest marks",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        accounts.MapGet("/margin/stream", MarginStream.Serve).RequireAuthorization()
            .WithName("StreamMargin").WithSummary("The margin view as Server-Sent Events, sent on each change and at least every intervalMs")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        accounts.MapGet("/ledger", Ledger).RequireAuthorization()
            .Read<IReadOnlyList<LedgerEntryView>>("GetLedger", "The account's ledger entries, oldest first, a page at a time",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        accounts.MapGet("/funding", Funding).RequireAuthorization()
            .Read<IReadOnlyList<FundingPaymentView>>("GetFunding", "The account's funding payments with their settlement ids, newest first, a page at a time; unrealised ones included",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        return app;
    }

    private static Task<IResult> Deposit(string accountId, HttpContext http, IGrainFactory grains) =>
        Command<TransferRequest, AccountMarginView>(accountId, http, (a, b) => a.Deposit(b.TransferId!, b.Asset!, b.Amount!.Value), grains);

    private static Task<IResult> Withdraw(string accountId, HttpContext http, IGrainFactory grains) =>
        Command<TransferRequest, AccountMarginView>(accountId, http, (a, b) => a.Withdraw(b.TransferId!, b.Asset!, b.Amount!.Value), grains);

    private static Task<IResult> Fill(string accountId, HttpContext http, IGrainFactory grains) =>
        Command<FillRequest, PositionView>(accountId, http,
            (a, b) => a.ApplyFill(b.FillId!, b.Symbol!, b.ParsedSide(), b.Quantity!.Value, b.Price!.Value, b.Fee!.Value), grains);

    private static Task<IResult> CheckOrder(string accountId, HttpContext http, IGrainFactory grains) =>
        Command<OrderCheckRequest, OrderCheckView>(accountId, http, (a, b) => a.CheckOrder(b.Symbol!, b.ParsedSide(), b.Quantity!.Value, b.Price!.Value), grains);

    private static Task<IResult> Settings(string accountId, string symbol, HttpContext http, IGrainFactory grains) =>
        Ids.CheckSymbol(symbol) is { } bad
            ? Task.FromResult(bad)
            : Command<SettingsRequest, AccountMarginView>(accountId, http, (a, b) => a.ChangeSettings(symbol, b.ParsedMarginMode(), b.Leverage!.Value), grains);

    private static Task<IResult> IsolatedMargin(string accountId, string symbol, HttpContext http, IGrainFactory grains) =>
        Ids.CheckSymbol(symbol) is { } bad
            ? Task.FromResult(bad)
            : Command<IsolatedMarginRequest, PositionView>(accountId, http, (a, b) => a.ChangeIsolatedMargin(b.OperationId!, symbol, b.Delta!.Value), grains);

    private static async Task<IResult> Margin(string accountId, HttpContext http, IGrainFactory grains)
    {
        if (Read(accountId, http) is { } refused)
        {
            return refused;
        }

        var margin = await grains.GetGrain<IAccountGrain>(accountId).GetMargin();
        return margin.Version == 0
            ? Problems.NotFound("unknown_account", $"Account {accountId} has no history.")
            : Results.Json(margin, GridJson.Options);
    }

    private static async Task<IResult> Ledger(string accountId, HttpContext http, IGrainFactory grains, string? after, string? limit)
    {
        if (Read(accountId, http) is { } refused)
        {
            return refused;
        }

        if (!QueryNumber.TryRead(limit, 1, 1000, out var take) || !QueryNumber.TryRead(after, 0, long.MaxValue, out var skip))
        {
            return Problems.BadRequest("invalid_paging", "'limit' is 1 to 1000 and 'after' is a sequence number ≥ 0.");
        }

        var account = grains.GetGrain<IAccountGrain>(accountId);
        if ((await account.GetMargin()).Version == 0)
        {
            return Problems.NotFound("unknown_account", $"Account {accountId} has no history.");
        }

        return Results.Json(await account.GetLedger(skip ?? 0, (int)(take ?? 100)), GridJson.Options);
    }

    private static async Task<IResult> Funding(string accountId, HttpContext http, IGrainFactory grains, string? before, string? limit)
    {
        if (Read(accountId, http) is { } refused)
        {
            return refused;
        }

        if (!QueryNumber.TryRead(limit, 1, 1000, out var take) || !QueryNumber.TryRead(before, 1, long.MaxValue, out var below))
        {
            return Problems.BadRequest("invalid_paging", "'limit' is 1 to 1000 and 'before' is a payment number ≥ 1.");
        }

        var account = grains.GetGrain<IAccountGrain>(accountId);
        if ((await account.GetMargin()).Version == 0)
        {
            return Problems.NotFound("unknown_account", $"Account {accountId} has no history.");
        }

        return Results.Json(await account.GetFunding(below ?? 0, (int)(take ?? 100)), GridJson.Options);
    }

    /// <summary>Checks the id and that the key may read this account; null when it may.</summary>
    internal static IResult? Read(string accountId, HttpContext http) =>
        Ids.CheckAccount(accountId)
        ?? (AccountAccess.CanRead(http.User, accountId) ? null : Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", "This key may not read this account."));

    private static Task<IResult> Command<TBody, TResult>(string accountId, HttpContext http, Func<IAccountGrain, TBody, Task<Abstractions.Common.CommandResult<TResult>>> send, IGrainFactory grains)
        where TBody : class, IValidatable =>
        Commands.Run<TBody, TResult>(Ids.CheckAccount(accountId), http, b => send(grains.GetGrain<IAccountGrain>(accountId), b));
}
