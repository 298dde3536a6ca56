# The fleet side by side: for one exit kind, every host's latest night, native
# and KVM next to each other: a point at the median, a whisker up to p99.
# Variables (besides style.gp's):
#   data   fleet-KIND.dat written by `exitlat-history fleet-data`
#          (docs/history-schema.md): block 0 the figure (kind, emulated, the
#          emulators' names), block 1 one row per host: host native_median
#          native_p99 kvm_median kvm_p99 emulated (NaN where a host lacks a side)
#   style_ok 1 when plots/style.gp is there (the caller checks)
# When any host's figures are emulated the figure is stamped EMULATED and
# those hosts' names carry the emulator.
if (!exists("plotdir")) plotdir = 'plots'
if (!exists("style_ok")) style_ok = 1
set datafile separator "\t"
# Strings come decoded through strcol(): text from the history stays text.
stats data index 0 using (kind = strcol(2), emulated = strcol(3) + 0, emu_name = strcol(4), 0) nooutput
load (style_ok ? plotdir.'/style.gp' : plotdir.'/trend-nostyle.gp')
set datafile separator "\t"

stats data index 1 using 0 nooutput
nh = STATS_records
hostlabel(h, e) = (e eq 'no') ? h : sprintf('%s (%s)', h, e)
# The longest host label, in characters: many or long labels stand upright,
# and the figure grows to hold them (about 0.17 cm a character at 8 pt).
stats data index 1 using (strlen(hostlabel(strcol(1), strcol(6)))) nooutput
longest = STATS_max
set xrange [-0.6:nh - 0.4]
set xtics scale 0
if (nh > 4 || longest > 12) {
	set xtics rotate by 90 right
	if (4.5 + longest * 0.17 > h_cm) { h_cm = 4.5 + longest * 0.17 }
}
if (2.5 + nh * 0.6 > w_cm) { w_cm = 2.5 + nh * 0.6 }
set grid ytics noxtics
set ylabel cyc_label
set key below horizontal samplen 1.5 noautotitle
set key title 'point: median, whisker: p99'
set title sprintf('%s: latest night per host', kind) offset 0, -0.3
set tmargin (emulated ? 3.4 : 2.2)
set errorbars 0.5
off = 0.12

plot data index 1 using 0:(NaN):xtic(hostlabel(strcol(1), strcol(6))) notitle, \
     ''   index 1 using ($0 - off):2:2:3 with yerrorbars lt 1 title 'native', \
     ''   index 1 using ($0 + off):4:4:5 with yerrorbars lt 2 title 'KVM'

eval set_term
replot
