using MarginGrid.Abstractions.Ledger;
using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Auth;

namespace MarginGrid.Silo.Endpoints;

/// <summary><c>/v1/admin/reconciliation</c>: checks the whole ledger against itself and the live grains (admin).</summary>
public static class LedgerEndpoints
{
    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/reconciliation", Reconcile).WithTags("Ledger").RequireAuthorization(GridRoles.AdminPolicy)
            .Read<ReconciliationReport>("Reconcile", "Check the whole ledger against itself and the live accounts and funds", StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> Reconcile(IGrainFactory grains) =>
        Results.Json(await grains.GetGrain<IReconciliationGrain>("ledger").Run(), GridJson.Options);
}
