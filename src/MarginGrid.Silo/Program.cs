using MarginGrid.Silo.Demo;
using MarginGrid.Silo.Hosting;

var launch = LaunchOptions.Parse(args);
var builder = WebApplication.CreateBuilder(launch.HostArgs);

builder.AddGridLogging();
builder.AddGridSilo();
builder.AddGridApi();
builder.AddGridTelemetry();
if (launch.Demo)
{
    builder.AddDemo();
}

var app = builder.Build();
app.MapGridApi();
app.MapGridTelemetry();
app.Run();

/// <summary>The entry point, visible to the in-process host of the tests.</summary>
public partial class Program;
