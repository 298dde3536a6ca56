# CDF of one exit kind, native and KVM overlaid.
# Variables (besides style.gp's): data, dir (plots/read-kind.gp: a kind-N.dat
# of exitlat-analyze --gnuplot, which names the series' cdf-ID.dat files, their
# key titles and line types, and decides the axes).
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/read-kind.gp'
load plotdir.'/style.gp'
if (is_tex) set key width -tex_extra

set yrange [0:1.02]
set ytics 0, 0.25, 1
set mytics 5
set ylabel 'cumulative fraction P(X ≤ x)'
if (is_tex) set ylabel 'cumulative fraction $P(X \le x)$'
set xlabel cyc_label
set key bottom right title (is_tex ? kind_tex : kind)
if (xlog) { set logscale x; set mxtics 10; set format x '%.0f' }
if (!xlog) set offsets graph 0.05, graph 0.05, 0, 0

# "cdf" is P(X <= value): a right-continuous step at each distinct value.
plot for [i=1:n] dir.CDF[i] using 1:2 with steps lt LT[i] \
	title (is_tex ? TITLE_TEX[i] : TITLE[i])

eval ns_axis
eval set_term
replot
