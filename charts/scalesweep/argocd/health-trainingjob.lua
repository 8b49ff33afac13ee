-- Argo CD health of a TrainingJob (scalesweep.io/v1alpha1), from its phase and conditions.
-- Install: resource.customizations.health.scalesweep.io_TrainingJob in argocd-cm (README.md here).
local hs = {status = "Progressing", message = "Waiting for the operator to observe this trial"}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local status = obj.status
if status == nil or status.phase == nil then
  return hs
end

local failed = condition(status, "Failed")
local ready = condition(status, "Ready")
if status.phase == "Failed" then
  hs.status = "Degraded"
  hs.message = failed ~= nil and failed.message or "the trial failed"
elseif status.phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = ready ~= nil and ready.message or "the trial succeeded"
else
  hs.status = "Progressing"
  hs.message = ready ~= nil and ready.message or status.phase
end
return hs
