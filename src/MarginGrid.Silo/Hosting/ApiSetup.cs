using MarginGrid.Silo.Api;
using MarginGrid.Silo.Auth;
using MarginGrid.Silo.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace MarginGrid.Silo.Hosting;

/// <summary>The HTTP API: JSON conventions, API-key auth with roles, problem documents, OpenAPI, endpoints.</summary>
public static class ApiSetup
{
    public static WebApplicationBuilder AddGridApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpJsonOptions(o => GridJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);

        // Only the embedded default may generate keys; a durable silo (or Auth:RequireKeys) must be given them.
        var durable = ClusterSettings.From(builder.Configuration).IsDurable;
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuthOptions>>();
            return new ApiKeyRegistry(options, mayGenerate: !durable && !options.Value.RequireKeys);
        });
        builder.Services.AddAuthentication(GridRoles.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(GridRoles.Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(GridRoles.AdminPolicy, p => p.RequireRole(GridRoles.Admin))
            .AddPolicy(GridRoles.ReadPolicy, p => p.RequireRole(GridRoles.Admin, GridRoles.Reader));
        builder.Services.AddOpenApi();
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }

    public static WebApplication MapGridApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiMetricsMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // The API's map is public on the embedded default; a durable deployment shows it to its own key holders only.
        var openApi = app.MapOpenApi();
        if (app.Services.GetRequiredService<ClusterSettings>().IsDurable)
        {
            openApi.RequireAuthorization(GridRoles.ReadPolicy);
        }

        app.MapOperationsEndpoints();
        app.MapMarketEndpoints();
        app.MapAccountEndpoints();
        app.MapWhatIfEndpoints();
        app.MapLiquidationEndpoints();
        app.MapFundEndpoints();
        app.MapLedgerEndpoints();

        // Orleans' own dashboard (grains, silos, call rates) for operators only.
        app.MapOrleansDashboard(GridRoles.DashboardPath).RequireAuthorization(GridRoles.AdminPolicy);
        return app;
    }
}
