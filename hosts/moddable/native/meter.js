// mqtt-pair/meter: XS's metering, to stop a student's program that never gives control back; the
// native half is meter.c, which says how. hosts/moddable/moddable-modules.d.ts types it.
function start(budget) @ "xs_mqttpair_meter_start";
function stop() @ "xs_mqttpair_meter_stop";
function tick() @ "xs_mqttpair_meter_tick";
function peak() @ "xs_mqttpair_meter_peak";
function call(fn) @ "xs_mqttpair_meter_call";

export { start, stop, tick, peak, call };
