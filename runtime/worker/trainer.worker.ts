// The module Web Worker that trains: it serves the trainer API (trainer-api.ts) over comlink, with
// the browser's backend choice and the assets Vite serves.
import * as Comlink from 'comlink';
import { browserAssets } from '../data/assets-browser';
import { initBrowserBackend } from '../backend/select-browser';
import { createTrainerApi } from './trainer-api';

Comlink.expose(createTrainerApi({ initBackend: initBrowserBackend, reader: browserAssets }));
