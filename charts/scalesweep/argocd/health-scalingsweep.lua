-- Argo CD health of a ScalingSweep (scalesweep.io/v1alpha1), from the conditions the operator writes.
-- Install: resource.customizations.health.scalesweep.io_ScalingSweep in argocd-cm (README.md here).
local hs = {status = "Progressing", message = "Waiting for the operator to observe this sweep"}

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

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local status = obj.status
if status == nil or status.observedGeneration == nil
    or (obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation) then
  return hs
end

local invalid = condition(status, "InvalidSpec")
local stalled = condition(status, "Stalled")
local suspended = condition(status, "Suspended")
local ready = condition(status, "Ready")
local progressing = condition(status, "Progressing")

if isTrue(invalid) then
  hs.status = "Degraded"
  hs.message = invalid.message
elseif isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = stalled.message
elseif isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message
elseif isTrue(suspended) and not isTrue(progressing) then
  hs.status = "Suspended"
  hs.message = suspended.message
elseif ready ~= nil then
  hs.status = "Progressing"
  hs.message = ready.message
end
return hs
