# The fleet side by side: for one exit kind, every host's latest night, one
# row per host, hosts grouped by CPU model and kernel (a header row each) and
# sorted by median; native above KVM in each row: a point at the median, a
# whisker up to p99. A rack one page cannot hold has a figure of its groups
# (a box over the hosts' medians, lowest to highest, a point at their median,
# a whisker to the highest p99) and its hosts on pages. Rows, pages, sizes and
# every text's place were decided by the history (history/layout.c).
# Variables (besides style.gp's):
#   data   fleet-KIND.dat or fleet-KIND--pageN.dat written by
#          `exitlat-history fleet-data` (docs/history-schema.md): block 0 the
#          figure's records (frame, axis x, fleet), block 1 the rows, block 2
#          the texts
#   style_ok 1 when plots/style.gp is there (the caller checks)
# When any host's figures are emulated the figure is stamped EMULATED and
# those hosts' names carry the emulator.
if (!exists("plotdir")) plotdir = 'plots'
if (!exists("style_ok")) style_ok = 1
set datafile separator "\t"
# Strings come decoded through strcol(): text from the history stays text.
stats data index 0 using (r_ = strcol(1), \
	r_ eq 'frame' ? (w_cm = column(2), h_cm = column(3), m_l = column(4), m_r = column(5), \
		m_b = column(6), m_t = column(7), stamp_y = column(8), key_x = column(9), \
		key_y = column(10)) : \
	r_ eq 'axis' ? (xlo = column(3), xhi = column(4), xt0 = column(5), xstep = column(6), \
		xt1 = column(7), xdec = int(column(8)), xlog = int(column(9))) : \
	r_ eq 'fleet' ? (kind = strcol(2), emulated = int(column(3)), emu_name = strcol(4), \
		groups = int(column(5)), x2 = int(column(6)), nrows = int(column(7)), ntexts = int(column(8))) : 0, 0) nooutput
load (style_ok ? plotdir.'/style.gp' : plotdir.'/trend-nostyle.gp')
set datafile separator "\t"
eval set_term
if (emulated) { set label 901 at screen 0.5, stamp_y }

# (before any range: stats would keep to it)
texts_index = 2
load plotdir.'/figure-texts.gp'

set lmargin at screen m_l
set rmargin at screen m_r
set bmargin at screen m_b
set tmargin at screen m_t
if (xlog) { set logscale x }
set xrange [xlo:xhi]
set xtics xt0, xstep, xt1 nomirror
set format x sprintf('%%.%df', xdec)
if (x2) {
	set link x2
	set x2tics xt0, xstep, xt1 out scale 0.6
	set format x2 sprintf('%%.%df', xdec)
	set border 7 back lw 0.8
}
set yrange [nrows - 0.5:-0.5]
set ytics scale 0
unset mytics
set grid xtics noytics
unset xlabel
unset ylabel
unset title
set key at screen key_x, key_y left top horizontal Left reverse samplen 1.5 noautotitle
set errorbars 0.3
set style fill transparent solid 0.35 noborder
# native a little above the row's middle, KVM a little below
off = 0.17
p = "data index 1 using (NaN):1:ytic(strcol(2)) notitle"
if (groups) {
	p = p . ", '' index 1 using 3:($1 - off):4:5:($1 - off - 0.1):($1 - off + 0.1) with boxxyerror lt 1 notitle" . \
		", '' index 1 using 7:($1 + off):8:9:($1 + off - 0.1):($1 + off + 0.1) with boxxyerror lt 2 notitle"
}
p = p . ", '' index 1 using 3:($1 - off):3:6 with xerrorbars lt 1 title 'native'" . \
	", '' index 1 using 7:($1 + off):7:10 with xerrorbars lt 2 title 'KVM'"
eval "plot " . p
