using MarginGrid.Abstractions.Funds;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Api.Requests;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/insurance-fund/{asset}</c>: balance and flows, and seeding (admin).</summary>
public static class FundEndpoints
{
    public static IEndpointRouteBuilder MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/v1/insurance-fund/{asset}").WithTags("Insurance fund");
        funds.MapGet("/", Get).RequireAuthorization(GridRoles.ReadPolicy)
            .Read<InsuranceFundView>("GetInsuranceFund", "The fund's balance, reserved amount and recent flows",
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        funds.MapPost("/deposits", Deposit).RequireAuthorization(GridRoles.AdminPolicy)
            .Command<FundDepositRequest, InsuranceFundView>("DepositToInsuranceFund", "Seed or top up the insurance fund of an asset", idempotent: true);
        return app;
    }

    private static async Task<IResult> Get(string asset, IGrainFactory grains)
    {
        if (Ids.CheckAsset(asset) is { } bad)
        {
            return bad;
        }

        // A fund exists once it has a flow; reading one that does not answers 404 and creates nothing.
        var view = await grains.GetGrain<IInsuranceFundGrain>(asset).Get();
        return view.RecentFlows.IsEmpty && view.Reserved == 0m
            ? Problems.NotFound("unknown_fund", $"There is no insurance fund of {asset}.")
            : Results.Json(view, GridJson.Options);
    }

    private static Task<IResult> Deposit(string asset, HttpContext http, IGrainFactory grains) =>
        Commands.Run<FundDepositRequest, InsuranceFundView>(Ids.CheckAsset(asset), http,
            b => grains.GetGrain<IInsuranceFundGrain>(asset).Deposit(b.TransferId!, b.Amount!.Value));
}
