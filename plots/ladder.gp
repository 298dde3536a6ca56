# The ladder: native vs KVM round trip per exit kind, one rung per kind in
# exit-table order, top to bottom. Per side and kind: a point at the median, a
# filled bar over the median's confidence interval and a whisker from the
# median out to p99.
# Variables (besides style.gp's):
#   data   ladder-plot.dat written by scripts/render-plots (docs/plots.md):
#          x kind step nat_med nat_lo nat_hi nat_p99 kvm_med kvm_lo kvm_hi kvm_p99
#          (NaN where a side or an interval is missing)
#   conf   the intervals' confidence in percent (default 95)
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/style.gp'
if (!exists("conf")) conf = 95
xlog = 1
pct = is_tex ? '\%' : '%'

stats data using 1 nooutput
nk = STATS_records
# A side with no data at all (e.g. no native module on this host) gets no key entry.
stats data using (strcol(4) eq 'NaN' ? 0 : 1) nooutput
has_native = STATS_sum > 0
stats data using (strcol(8) eq 'NaN' ? 0 : 1) nooutput
has_kvm = STATS_sum > 0
set yrange [nk + 0.6:0.4]
set logscale x
set format x log_fmt
set mxtics 10
set xlabel cyc_label
set ytics scale 0 nomirror
set grid xtics noytics
set key below horizontal samplen 1.5
set key title sprintf('point: median, bar: %g%s CI, whisker: p99', conf, pct)
set errorbars 0.6
off = 0.15
bh = 0.07
# Tick labels: the kind, and below it where KVM handles the exit.
ticlabel(k, step) = (is_tex || step eq '-') ? k : sprintf("%s\n{/*0.85 (%s)}", k, step)

# The rung labels sit at the rung itself (an invisible series carries them).
plot data using (NaN):1:ytic(ticlabel(strcol(2), strcol(3))) notitle, \
     ''   using 4:($1 - off):4:7 with xerrorbars lt 1 lw 0.8 ps 0 notitle, \
     ''   using 4:($1 - off):5:6:($1 - off - bh):($1 - off + bh) with boxxyerror \
	fs solid 0.45 border lt 1 lt 1 notitle, \
     ''   using 4:($1 - off) with points lt 1 title (has_native ? 'native' : ''), \
     ''   using 8:($1 + off):8:11 with xerrorbars lt 2 lw 0.8 ps 0 notitle, \
     ''   using 8:($1 + off):9:10:($1 + off - bh):($1 + off + bh) with boxxyerror \
	fs solid 0.45 border lt 2 lt 2 notitle, \
     ''   using 8:($1 + off) with points lt 2 title (has_kvm ? 'KVM' : '')

eval ns_axis
eval set_term
replot
