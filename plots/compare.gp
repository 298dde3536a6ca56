# Two runs (e.g. two kernels, two hosts) side by side for the kinds both have,
# one rung per kind: median points with a whisker out to p99, native and KVM,
# run A and run B.
# Variables (besides style.gp's):
#   data   compare-plot.dat written by scripts/render-plots (docs/plots.md):
#          x kind a_nat_med a_nat_p99 b_nat_med b_nat_p99 a_kvm_med a_kvm_p99 b_kvm_med b_kvm_p99
#          (NaN where a side is missing)
#   label_a, label_b   names of the two runs, shown in the key
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/style.gp'
if (!exists("label_a")) label_a = 'A'
if (!exists("label_b")) label_b = 'B'
xlog = 1

stats data using 1 nooutput
nk = STATS_records
# A series with no data at all (e.g. no native side) gets no key entry.
array present[10]
do for [col in "3 5 7 9"] {
	stats data using (strcol(col + 0) eq 'NaN' ? 0 : 1) nooutput
	present[col + 0] = STATS_sum > 0
}
ttl(col, t) = present[col] ? t : ''
set yrange [nk + 0.6:0.4]
set logscale x
set format x log_fmt
set mxtics 10
set xlabel cyc_label
set ytics scale 0 nomirror
set grid xtics noytics
set key below horizontal maxcols 2 samplen 1.5
set key title 'point: median, whisker: p99'
set errorbars 0.5

# Order within a rung: native A, native B, KVM A, KVM B (line types 1, 3, 2, 4),
# the series present spread evenly around the rung's label.
np = 0
array slot[10]
do for [col in "3 5 7 9"] {
	if (present[col + 0]) { np = np + 1; slot[col + 0] = np } else { slot[col + 0] = 0 }
}
dy(col) = (slot[col] - (np + 1) / 2.0) * 0.18

# The rung labels sit at the rung itself (an invisible series carries them).
plot data using (NaN):1:ytic(strcol(2)) notitle, \
     ''   using 3:($1 + dy(3)):3:4 with xerrorbars lt 1 lw 0.8 ps 0 notitle, \
     ''   using 3:($1 + dy(3)) with points lt 1 title ttl(3, 'native, '.label_a), \
     ''   using 5:($1 + dy(5)):5:6 with xerrorbars lt 3 lw 0.8 ps 0 notitle, \
     ''   using 5:($1 + dy(5)) with points lt 3 title ttl(5, 'native, '.label_b), \
     ''   using 7:($1 + dy(7)):7:8 with xerrorbars lt 2 lw 0.8 ps 0 notitle, \
     ''   using 7:($1 + dy(7)) with points lt 2 title ttl(7, 'KVM, '.label_a), \
     ''   using 9:($1 + dy(9)):9:10 with xerrorbars lt 4 lw 0.8 ps 0 notitle, \
     ''   using 9:($1 + dy(9)) with points lt 4 title ttl(9, 'KVM, '.label_b)

eval ns_axis
eval set_term
replot
