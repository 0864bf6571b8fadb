using MarginGrid.Abstractions.Funds;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.Requests;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/insurance-fund/{asset}</c>: balance and flows, and seeding (admin).</summary>
public static class FundEndpoints
{
    public static IEndpointRouteBuilder MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/v1/insurance-fund/{asset}").WithTags("Insurance fund");
        funds.MapGet("/", Get).RequireAuthorization(GridRoles.ReadPolicy);
        funds.MapPost("/deposits", Deposit).RequireAuthorization(GridRoles.AdminPolicy);
        return app;
    }

    private static async Task<IResult> Get(string asset, IGrainFactory grains) =>
        Ids.CheckAsset(asset) ?? Results.Json(await grains.GetGrain<IInsuranceFundGrain>(asset).Get(), GridJson.Options);

    private static Task<IResult> Deposit(string asset, HttpContext http, IGrainFactory grains) =>
        Commands.Run<FundDepositRequest, InsuranceFundView>(Ids.CheckAsset(asset), http,
            b => grains.GetGrain<IInsuranceFundGrain>(asset).Deposit(b.TransferId!, b.Amount!.Value));
}
