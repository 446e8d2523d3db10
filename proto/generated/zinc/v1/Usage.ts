// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface Usage {
  'cpuUsec'?: (number | string | Long);
  'peakRssBytes'?: (number | string | Long);
}

export interface Usage__Output {
  'cpuUsec': (number);
  'peakRssBytes': (number);
}
