import type { TailorConfig } from "../config.ts";
import type { Logger } from "../logger.ts";

/**
 * Loaded plugins and their capabilities.
 * NOTE: placeholder until the plugin host lands; it loads no plugins.
 */
export class PluginHost {
  static async load(_config: TailorConfig, _logger: Logger): Promise<PluginHost> {
    return new PluginHost();
  }

  list(): { name: string; version: string; kinds: string[]; options: Record<string, unknown> }[] {
    return [];
  }

  async close(): Promise<void> {}
}
