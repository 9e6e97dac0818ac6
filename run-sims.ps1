#!/usr/bin/env pwsh
# SimLoop's simulation campaigns for Windows users: a thin front of Sim.Runner.
# Examples:
#   ./run-sims.ps1                                  # the default campaign, seeds 1..100
#   ./run-sims.ps1 -Scenario producer-consumer -Seeds 1..1000 -Shard 0/4 -JUnit results.xml
#   ./run-sims.ps1 -Seed 17                         # reproduce one seed
param(
    [string]$Scenario = "",
    [string]$Seeds = "",
    [long]$Seed = -1,
    [string]$Shard = "",
    [double]$TimeLimit = 0,
    [string]$JUnit = "",
    [switch]$Quiet
)
$runnerArgs = @()
if ($Scenario) { $runnerArgs += $Scenario }
if ($Seeds) { $runnerArgs += @("--seeds", $Seeds) }
if ($Seed -ge 0) { $runnerArgs += @("--seed", "$Seed") }
if ($Shard) { $runnerArgs += @("--shard", $Shard) }
if ($TimeLimit -gt 0) { $runnerArgs += @("--time-limit", "$TimeLimit") }
if ($JUnit) { $runnerArgs += @("--junit", $JUnit) }
if ($Quiet) { $runnerArgs += "--quiet" }
dotnet run --project (Join-Path $PSScriptRoot "Sim.Runner") -c Release -- @runnerArgs
exit $LASTEXITCODE
