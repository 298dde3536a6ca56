# The fleet side by side: for one exit kind, every host's latest night, native
# and KVM next to each other: a point at the median, a whisker up to p99.
# Variables (besides style.gp's):
#   data   fleet-KIND.dat written by scripts/exitlat-nightly --plots-only:
#          host native_median native_p99 kvm_median kvm_p99 emulated
#          (NaN where a host lacks a side)
#   kind   the exit kind (title)
# 'emulated' names the emulators when any host's figures are emulated: the
# figure is then stamped EMULATED and those hosts' names carry the emulator.
if (!exists("plotdir")) plotdir = 'plots'
style_ok = system(sprintf("test -r '%s/style.gp' && echo y", plotdir)) eq "y"
load (style_ok ? plotdir.'/style.gp' : plotdir.'/trend-nostyle.gp')
if (!exists("kind")) kind = ''

stats data using 0 nooutput
nh = STATS_records
set xrange [-0.6:nh - 0.4]
set xtics scale 0
if (nh > 4) { set xtics rotate by 30 right }
set grid ytics noxtics
set ylabel cyc_label
set key below horizontal samplen 1.5 noautotitle
set key title 'point: median, whisker: p99'
set title sprintf('%s: latest night per host', kind) noenhanced offset 0, -0.3
set tmargin (emulated ne '' ? 3.4 : 2.2)
set errorbars 0.5
off = 0.12
hostlabel(h, e) = (e eq 'no') ? h : sprintf('%s (%s)', h, e)

plot data using 0:(NaN):xtic(hostlabel(strcol(1), strcol(6))) notitle, \
     ''   using ($0 - off):2:2:3 with yerrorbars lt 1 title 'native', \
     ''   using ($0 + off):4:4:5 with yerrorbars lt 2 title 'KVM'

eval set_term
replot
