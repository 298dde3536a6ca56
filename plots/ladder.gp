# The ladder: native vs KVM round trip per exit kind, one rung per kind in
# exit-table order, top to bottom. Per side and kind: a point at the median, a
# filled bar over the median's confidence interval and a whisker from the
# median out to p99.
# Variables (besides style.gp's):
#   data   a rungs-E.dat of exitlat-analyze --gnuplot (docs/analysis-outputs.md):
#          block 0 the environment (stamp, TSC, confidence, fixed range, rungs),
#          block 1 one row per rung: x kind kind_tex step nat_med nat_lo nat_hi
#          nat_p99 kvm_med kvm_lo kvm_hi kvm_p99 key (NaN where a side or an
#          interval is missing)
if (!exists("plotdir")) plotdir = 'plots'
set datafile separator "\t"
stats data index 0 using (emulated = strcol(8) + 0, emu_name = strcol(9), \
	emu_name_tex = strcol(10), tsc_khz = strcol(11) + 0, conf = strcol(12) + 0, \
	xlo = strcol(13) + 0, xhi = strcol(14) + 0, nk = int(strcol(15) + 0), 0) nooutput
# A side with no data at all (e.g. no native module on this host) gets no key entry.
stats data index 1 using (strcol(5) eq 'NaN' ? 0 : 1) nooutput
has_native = STATS_sum > 0
stats data index 1 using (strcol(9) eq 'NaN' ? 0 : 1) nooutput
has_kvm = STATS_sum > 0
# The longest rung label as printed: cairolatex margins are sized by the LaTeX source.
stats data index 1 using (strlen(strcol(2))) nooutput
longest = STATS_max
xlog = 1
load plotdir.'/style.gp'
set datafile separator "\t"
pct = is_tex ? '\%' : '%'
# The figure grows with its rungs: 3 cm of axes and key, then 1 cm per rung.
if (3 + nk * 1.0 > h_cm) h_cm = 3 + nk * 1.0

set yrange [nk + 0.6:0.4]
set logscale x
set format x log_fmt
set mxtics 10
set xlabel cyc_label
set ytics scale 0 nomirror
if (is_tex) set lmargin (longest < 30 ? longest : 30) + 2
set grid xtics noytics
set key below horizontal samplen 1.5
# Two lines: on one, the rung labels' margin can push its end off the page.
set key title sprintf("point: median, bar: %g%s CI,\nwhisker: p99", conf, pct)
set errorbars 0.6
off = 0.15
bh = 0.07
# Tick labels: the kind, and below it where KVM handles the exit.
ticlabel(k, step) = (is_tex || step eq '-') ? k : sprintf("%s\n{/*0.85 (%s)}", k, step)

# The rung labels sit at the rung itself (an invisible series carries them).
plot data index 1 using (NaN):1:ytic(ticlabel(strcol(is_tex ? 3 : 2), strcol(4))) notitle, \
     ''   index 1 using 5:($1 - off):5:8 with xerrorbars lt 1 lw 0.8 ps 0 notitle, \
     ''   index 1 using 5:($1 - off):6:7:($1 - off - bh):($1 - off + bh) with boxxyerror \
	fs solid 0.45 border lt 1 lt 1 notitle, \
     ''   index 1 using 5:($1 - off) with points lt 1 title (has_native ? 'native' : ''), \
     ''   index 1 using 9:($1 + off):9:12 with xerrorbars lt 2 lw 0.8 ps 0 notitle, \
     ''   index 1 using 9:($1 + off):10:11:($1 + off - bh):($1 + off + bh) with boxxyerror \
	fs solid 0.45 border lt 2 lt 2 notitle, \
     ''   index 1 using 9:($1 + off) with points lt 2 title (has_kvm ? 'KVM' : '')

eval ns_axis
eval set_term
replot
