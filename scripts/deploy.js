// Deploys the ProvenanceRegistry and writes the deployment file the gateway reads. Idempotent: if the file exists
// and the chain with its chain id has the registry's code at its address, it does nothing.
//
//   npx hardhat run scripts/deploy.js --network localhost
//
// Environment:
//   PROVENANCE_DEPLOYMENT   deployment file (default deployments/<network>.json, relative to the repository root)
//   PROVENANCE_REGISTRAR    address to grant REGISTRAR_ROLE (onboards artisans, handlers, certifiers)
//   PROVENANCE_ADMIN        final default admin; if not the deployer, a two-step transfer is begun that this
//                           address must accept (acceptDefaultAdminTransfer) after the admin delay
//   PROVENANCE_ADMIN_DELAY  default-admin transfer delay in seconds (default 0 on dev chains 31337/1337, else 86400)
//
// Deployment file: { chainId, address, deployBlock, deployTx, abi, admin, pendingAdmin?, registrar? }.
const fs = require("node:fs");
const path = require("node:path");

const ABI_PATH = "artifacts/contracts/ProvenanceRegistry.sol/ProvenanceRegistry.json";
const DEV_CHAINS = new Set([31337n, 1337n]);

/**
 * Deploys unless the deployment file already points at a live registry on this chain.
 * @returns {{ deployed: boolean, deployment: object, file: string }}
 */
async function deployRegistry(hre, options = {}) {
  const { ethers } = hre;
  const root = hre.config.paths.root;
  const file = path.resolve(root, options.file ?? `deployments/${hre.network.name}.json`);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const log = options.log ?? (() => {});

  const existing = readDeployment(file);
  if (existing && BigInt(existing.chainId) === chainId) {
    const code = await ethers.provider.getCode(existing.address);
    if (code !== "0x") {
      if (!(await isRegistry(hre, existing.address))) {
        throw new Error(`${file}: ${existing.address} on chain ${chainId} holds a contract that is not the registry`);
      }
      log(`registry already deployed at ${existing.address} on chain ${chainId} (${path.relative(root, file)})`);
      return { deployed: false, deployment: existing, file };
    }
    log(`no code at ${existing.address} on chain ${chainId} (chain reset?): deploying again`);
  }

  const [deployer] = await ethers.getSigners();
  const delay = options.adminDelay ?? (DEV_CHAINS.has(chainId) ? 0n : 86_400n);
  const registry = await ethers.deployContract("ProvenanceRegistry", [delay, deployer.address]);
  const receipt = await registry.deploymentTransaction().wait();

  const deployment = {
    chainId: Number(chainId),
    address: await registry.getAddress(),
    deployBlock: receipt.blockNumber,
    deployTx: receipt.hash,
    abi: ABI_PATH,
    admin: deployer.address,
  };
  if (options.registrar) {
    const registrar = ethers.getAddress(options.registrar);
    await (await registry.grantRole(await registry.REGISTRAR_ROLE(), registrar)).wait();
    deployment.registrar = registrar;
  }
  if (options.admin && ethers.getAddress(options.admin) !== deployer.address) {
    const pending = ethers.getAddress(options.admin);
    await (await registry.beginDefaultAdminTransfer(pending)).wait();
    deployment.pendingAdmin = pending;
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(deployment, null, 2) + "\n");
  fs.renameSync(tmp, file);
  log(`deployed ProvenanceRegistry at ${deployment.address} (chain ${chainId}, block ${deployment.deployBlock}) -> ${path.relative(root, file)}`);
  return { deployed: true, deployment, file };
}

function readDeployment(file) {
  if (!fs.existsSync(file)) return null;
  const d = JSON.parse(fs.readFileSync(file, "utf8"));
  if (d.chainId === undefined || !d.address) throw new Error(`${file}: not a deployment file (chainId, address)`);
  return d;
}

/** True if `address` answers ERC-165 for IProvenanceRegistry. */
async function isRegistry(hre, address) {
  const iface = (await hre.artifacts.readArtifact("IProvenanceRegistry")).abi;
  const registry = new hre.ethers.Contract(address, ["function supportsInterface(bytes4) view returns (bool)"], hre.ethers.provider);
  const id = interfaceId(new hre.ethers.Interface(iface));
  try {
    return await registry.supportsInterface(id);
  } catch {
    return false;
  }
}

function interfaceId(iface) {
  let id = 0n;
  iface.forEachFunction((f) => {
    id ^= BigInt(f.selector);
  });
  return "0x" + id.toString(16).padStart(8, "0");
}

async function main() {
  const hre = require("hardhat");
  const env = process.env;
  await deployRegistry(hre, {
    file: env.PROVENANCE_DEPLOYMENT || undefined,
    registrar: env.PROVENANCE_REGISTRAR || undefined,
    admin: env.PROVENANCE_ADMIN || undefined,
    adminDelay: env.PROVENANCE_ADMIN_DELAY ? BigInt(env.PROVENANCE_ADMIN_DELAY) : undefined,
    log: (m) => console.log(m),
  });
}

module.exports = { deployRegistry, interfaceId };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
